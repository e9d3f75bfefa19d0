"""Registers a camera pose for each of DeepRacer's camera frames of one episode on reInvent2019.

DeepRacer's frames (../shared/data/gazebo/camera/reInvent2019-episode-gray.npz) carry no pose.
`paddock bench camera` compares Paddock's look with them, and a fair comparison renders Paddock's
frames from where DeepRacer's car was, not from the centre line. This script finds, for each frame,
the camera pose (x, y on the track, yaw) whose view of the track's geometry best matches the
frame. It matches classes, not gray levels, so the look being measured plays no part in the fit:

- each real pixel below row 40 (the ground; the walls start above) is classed as road (gray
  39-79, and the centre line's 140-174), white line (190 and up), grass (105-139), or ignored;
- a candidate pose's view is classed from geometry alone: every pixel's ray is cut with the
  ground (DeepRacer's camera: 0.13033 m up, pitched down 0.2618 rad, horizontal field of view
  1.13 rad), and the ground point is road within 0.04 m of the border, white line within
  0.04 m either side of it, grass beyond;
- the pose minimises the share of pixels whose classes differ (Nelder-Mead), the first frame from
  a search over the whole track, each next frame from the last pose and its motion.

The camera's mount and field of view were checked this way too: freeing height, pitch, field of
view and the white line's edges on five frames gives 0.1306 m, 0.2630 rad, 1.119 rad and a line
0.081 m wide centred on the border, DeepRacer's numbers (held-out frames: mismatch 0.0257
against 0.0277 for the nominal camera).

Usage: python camera_poses.py FRAMES.npz TRACK.npy OUT.csv
Writes frame,camera_x,camera_y,yaw,mismatch (metres, radians, share of pixels).
Needs numpy and scipy (the Python tools venv, scripts/python-tools.sh).
"""

import os
import sys
import tempfile

import numpy as np
from scipy.optimize import minimize
from scipy.spatial import cKDTree

HEIGHT = 0.13033
PITCH = 0.2618
FIELD_OF_VIEW = 1.13
LINE_HALF_WIDTH = 0.04
FIRST_GROUND_ROW = 40


def centre_line(path):
    """The track's closed centre line resampled every centimetre, and the track's width."""
    array = np.load(path)
    points = np.vstack([array[:, 0:2], array[:1, 0:2]])
    lengths = np.linalg.norm(np.diff(points, axis=0), axis=1)
    distance = np.concatenate([[0], np.cumsum(lengths)])
    samples = np.arange(0, distance[-1], 0.01)
    line = np.stack([np.interp(samples, distance, points[:, 0]), np.interp(samples, distance, points[:, 1])], 1)
    width = np.linalg.norm(array[:, 2:4] - array[:, 4:6], axis=1).mean()
    return line, width


def classes(frame):
    """0 road, 1 white line, 2 grass, -1 neither, for each pixel of a gray frame."""
    gray = frame.astype(int)
    result = np.full(gray.shape, -1)
    result[(gray > 38) & (gray < 80)] = 0
    result[(gray >= 140) & (gray < 175)] = 0
    result[gray >= 190] = 1
    result[(gray >= 105) & (gray < 140)] = 2
    return result


class View:
    """The ground pixels of one frame (every `step`-th), their rays and their classes."""

    def __init__(self, frame, step):
        height, width = frame.shape
        rows, columns = np.mgrid[FIRST_GROUND_ROW:height:step, 0:width:step]
        self.classes = classes(frame)[rows, columns]
        self.known = self.classes >= 0
        focal = 0.5 / np.tan(FIELD_OF_VIEW / 2)
        left = -((columns + 0.5) / width - 0.5)
        up = -((rows + 0.5) / height - 0.5) * height / width
        c, s = np.cos(PITCH), np.sin(PITCH)
        down = focal * s - up * c
        self.hits = down > 1e-6
        distance = HEIGHT / np.where(self.hits, down, 1)
        self.forward = distance * (focal * c + up * s)
        self.left = distance * left
        self.hits &= self.forward < 6

    def mismatch(self, pose, tree, half_width):
        x, y, yaw = pose
        c, s = np.cos(yaw), np.sin(yaw)
        points = np.stack(
            [x + c * self.forward[self.hits] - s * self.left[self.hits], y + s * self.forward[self.hits] + c * self.left[self.hits]],
            1,
        )
        distance, _ = tree.query(points)
        seen = np.full(self.classes.shape, 2)
        drawn = np.full(distance.shape, 2)
        drawn[distance < half_width + LINE_HALF_WIDTH] = 1
        drawn[distance < half_width - LINE_HALF_WIDTH] = 0
        seen[self.hits] = drawn
        return float(np.mean(seen[self.known] != self.classes[self.known]))


def refine(view, start, tree, half_width, step=0.05):
    simplex = np.array([start, start + [step, 0, 0], start + [0, step, 0], start + [0, 0, step]])
    result = minimize(
        lambda pose: view.mismatch(pose, tree, half_width),
        start,
        method="Nelder-Mead",
        options=dict(initial_simplex=simplex, maxiter=400, xatol=1e-4, fatol=1e-6),
    )
    return result.fun, result.x


def first_pose(view, line, tree, half_width):
    """The best pose over the whole track: every 10 cm, 0.4 m either side, ±30°, both directions."""
    headings = np.arctan2(np.gradient(line[:, 1]), np.gradient(line[:, 0]))
    best = (np.inf, None)
    for index in range(0, len(line), 10):
        normal = np.array([-np.sin(headings[index]), np.cos(headings[index])])
        for offset in np.arange(-0.4, 0.41, 0.1):
            for turn in np.radians(np.arange(-30, 31, 10)):
                for direction in (0, np.pi):
                    pose = np.array([*(line[index] + offset * normal), headings[index] + direction + turn])
                    error = view.mismatch(pose, tree, half_width)
                    if error < best[0]:
                        best = (error, pose)
    return refine(view, best[1], tree, half_width)


class CentreLine:
    """Poses by distance along the centre line (s), offset to its left (d) and turn from it (psi)."""

    def __init__(self, line):
        self.line = line
        self.length = len(line) * 0.01
        self.headings = np.unwrap(np.arctan2(np.gradient(line[:, 1]), np.gradient(line[:, 0])))

    def pose(self, s, d, psi, direction):
        index = int(round(s / 0.01)) % len(self.line)
        heading = self.headings[index] + (np.pi if direction < 0 else 0)
        normal = np.array([-np.sin(heading), np.cos(heading)])
        return np.array([*(self.line[index] + d * normal), heading + psi])

    def nearest(self, pose, tree):
        _, index = tree.query(pose[:2])
        heading = self.headings[index]
        direction = 1 if np.cos(pose[2] - heading) >= 0 else -1
        heading += np.pi if direction < 0 else 0
        normal = np.array([-np.sin(heading), np.cos(heading)])
        d = float(np.dot(pose[:2] - self.line[index], normal))
        psi = float(np.arctan2(np.sin(pose[2] - heading), np.cos(pose[2] - heading)))
        return index * 0.01, d, psi, direction


def main(frames_path, track_path, out_path):
    frames = np.load(frames_path)["frames"]
    line, width = centre_line(track_path)
    tree = cKDTree(line)
    half_width = width / 2
    centre = CentreLine(line)
    rows = []
    state = None  # s (along the car's direction of travel), d, psi, direction
    for index, frame in enumerate(frames):
        view = View(frame, 2)
        if state is None:
            error, pose = first_pose(view, line, tree, half_width)
            s, d, psi, direction = centre.nearest(pose, tree)
        else:
            # The car drives on: it has moved 0 to 0.3 m (4.5 m/s) along the line since the last
            # frame. Along a straight the view barely changes, so the motion decides there.
            s0, d0, psi0, direction = state

            def cost(parameters):
                ds, d, psi = parameters
                if not (-0.02 <= ds <= 0.3 and abs(d) < half_width + 0.3 and abs(psi) < 1.2):
                    return 1.0
                return view.mismatch(centre.pose(s0 + direction * ds, d, psi, direction), tree, half_width)

            steps = np.arange(0, 0.301, 0.02)
            ds = min(steps, key=lambda step: cost((step, d0, psi0)))
            start = np.array([ds, d0, psi0])
            simplex = np.array([start, start + [0.04, 0, 0], start + [0, 0.04, 0], start + [0, 0, 0.05]])
            result = minimize(
                cost, start, method="Nelder-Mead",
                options=dict(initial_simplex=simplex, maxiter=300, xatol=1e-4, fatol=1e-6),
            )
            error = result.fun
            ds, d, psi = result.x
            s = s0 + direction * ds
            pose = centre.pose(s, d, psi, direction)
        state = (s, d, psi, direction)
        rows.append((index, pose[0], pose[1], pose[2], error))
        if index % 100 == 0:
            print(f"frame {index}: x {pose[0]:.3f} y {pose[1]:.3f} yaw {pose[2]:.3f} mismatch {error:.4f}", flush=True)
    folder = os.path.dirname(os.path.abspath(out_path))
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp") as out:
        out.write("frame,camera_x,camera_y,yaw,mismatch\n")
        for index, x, y, yaw, error in rows:
            out.write(f"{index},{x:.4f},{y:.4f},{yaw:.5f},{error:.4f}\n")
    os.replace(out.name, out_path)
    errors = np.array([row[4] for row in rows])
    print(f"{len(rows)} poses; mismatch median {np.median(errors):.4f}, 95th percentile {np.percentile(errors, 95):.4f}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: python camera_poses.py FRAMES.npz TRACK.npy OUT.csv")
    main(*sys.argv[1:])
