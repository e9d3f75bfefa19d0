# Prevent zig-zag: DeepRacer's third example, written for Paddock.
#
# The centre-line reward of the first example, cut by a fifth when the car steers hard (more than
# 15 degrees either way), so the model learns to steer smoothly: a real car wobbles when its
# model swings the wheels from side to side.

STEERING_LIMIT = 15.0  # degrees


def reward_function(params):
    distance_from_center = params['distance_from_center']
    track_width = params['track_width']
    steering = abs(params['steering_angle'])

    if distance_from_center <= 0.1 * track_width:
        reward = 1.0
    elif distance_from_center <= 0.25 * track_width:
        reward = 0.5
    elif distance_from_center <= 0.5 * track_width:
        reward = 0.1
    else:
        reward = 1e-3

    if steering > STEERING_LIMIT:
        reward *= 0.8

    return float(reward)
