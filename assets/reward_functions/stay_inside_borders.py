# Stay inside the two borders: DeepRacer's second example, written for Paddock.
#
# The car may drive anywhere on the road, as long as every wheel is on it and it keeps at least
# 5 cm between its reference point and the border. It is not told where on the road is best.


def reward_function(params):
    all_wheels_on_track = params['all_wheels_on_track']
    distance_from_center = params['distance_from_center']
    track_width = params['track_width']

    distance_to_border = 0.5 * track_width - distance_from_center

    if all_wheels_on_track and distance_to_border >= 0.05:
        reward = 1.0
    else:
        reward = 1e-3  # too close to the edge, or off the road

    return float(reward)
