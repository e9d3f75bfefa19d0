// Written by `paddock sim fit`; the fit is described in docs/car-dynamics.md.

extension CarDynamics {
    /// DeepRacer's car as the console's simulator runs it since model version 5 (Paddock
    /// trains, evaluates and races on this car).
    public static let deepRacer = CarDynamics(
        steeringDelay: 0.001225,
        steeringTimeConstant: 0.02527,
        steeringRateLimit: 13.91,
        wheelSpeedTimeConstant: 0.1341,
        wheelAccelerationLimit: 3.877,
        wheelDecelerationLimit: 14.38,
        friction: 0.3962,
        slipSpeedScale: 0.1584,
        yawInertiaPerMass: 0.0122)

    /// What `deepRacer` was fitted to, and its errors.
    public static let deepRacerFit = """
        Fitted to run-a.csv: 1 s ahead, median 15.7 cm, 90th percentile 38.1 cm, heading 7.9° over 16547 \
        predictions. Held out run-b.csv: median 13.8 cm, 90th percentile 32.4 cm, heading 7.2° over 4866 \
        predictions.
        """

    /// DeepRacer's car as the console's simulator ran it in 2022 (model version 4: Gazebo's
    /// effort controllers, a slow steering servo).
    public static let deepRacer2022 = CarDynamics(
        steeringDelay: 0.04323,
        steeringTimeConstant: 0.4171,
        steeringRateLimit: 6.425,
        wheelSpeedTimeConstant: 0.04066,
        wheelAccelerationLimit: 10.81,
        wheelDecelerationLimit: 23.87,
        friction: 0.9483,
        slipSpeedScale: 0.01288,
        yawInertiaPerMass: 0.0122)

    /// What `deepRacer2022` was fitted to, and its errors.
    public static let deepRacer2022Fit = """
        Fitted to training/ (28 files): 1 s ahead, median 11.6 cm, 90th percentile 24.5 cm, heading 7.6° \
        over 35295 predictions. Held out run-1.csv, run-2.csv: median 11.8 cm, 90th \
        percentile 19.1 cm, heading 9.8° over 1383 predictions.
        """
}
