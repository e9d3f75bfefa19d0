print("paddock")
