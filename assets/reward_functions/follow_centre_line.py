# Follow the centre line: DeepRacer's default example, written for Paddock.
#
# The car earns the most when its reference point stays close to the centre line. Three markers
# split the road into bands, at 10 %, 25 % and 50 % of the track width from the centre; the
# closer band pays more. Past the last marker the car is about to leave the road and earns
# almost nothing.


def reward_function(params):
    distance_from_center = params['distance_from_center']
    track_width = params['track_width']

    near = 0.1 * track_width
    middle = 0.25 * track_width
    edge = 0.5 * track_width

    if distance_from_center <= near:
        reward = 1.0
    elif distance_from_center <= middle:
        reward = 0.5
    elif distance_from_center <= edge:
        reward = 0.1
    else:
        reward = 1e-3  # about to leave the track

    return float(reward)
