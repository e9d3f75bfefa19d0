# Object avoidance and head-to-bot: DeepRacer's fourth example, written for Paddock.
#
# Two parts: a lane reward for keeping all wheels on the road away from the borders, and an
# avoidance reward that shrinks as the car closes in on the next object when both are in the same
# lane (on the same side of the centre line). Avoiding counts four times as much as the lane.

import math


def reward_function(params):
    all_wheels_on_track = params['all_wheels_on_track']
    distance_from_center = params['distance_from_center']
    track_width = params['track_width']
    is_left_of_center = params['is_left_of_center']
    x = params['x']
    y = params['y']
    objects_location = params['objects_location']
    objects_left_of_center = params['objects_left_of_center']
    _, next_object = params['closest_objects']

    reward = 1e-3

    # Lane: on the road, at least 5 cm from the border.
    if all_wheels_on_track and (0.5 * track_width - distance_from_center) >= 0.05:
        reward_lane = 1.0
    else:
        reward_lane = 1e-3

    # Avoidance: only an object in our own lane is a danger.
    reward_avoid = 1.0
    if objects_location:
        object_x, object_y = objects_location[next_object]
        distance = math.hypot(x - object_x, y - object_y)
        if objects_left_of_center[next_object] == is_left_of_center:
            if 0.5 <= distance < 0.8:
                reward_avoid *= 0.5
            elif 0.3 <= distance < 0.5:
                reward_avoid *= 0.2
            elif distance < 0.3:
                reward_avoid = 1e-3  # about to hit it

    reward += 1.0 * reward_lane + 4.0 * reward_avoid
    return float(reward)
