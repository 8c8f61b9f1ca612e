"""The demo clip's content: a scripted caregiver–infant interaction, drawn and voiced (no Qt).

Two simple figures, a big caregiver and a small infant, look at each other and away, reach,
vocalise, fuss and smile, following the spans of the script below (seconds of a 24 s clip;
shorter clips run the same script faster). Every frame carries its index in the top-left
corner, as small digits and as the block code of :mod:`coder.demo.synth`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from coder.demo.synth import CODE_BITS

CODE_WIDTH = 160
"""Width of the block code strip in the top-left corner (16 blocks of 10 × 8 pixels)."""
CODE_HEIGHT = 16
AUDIO_RATE = 48_000

# --- the script of the interaction (seconds of a 24 s clip) -------------------------------------

SCRIPT_SECONDS = 24.0

Spans = Sequence[tuple[float, float]]

INFANT_LOOKS_AT_CAREGIVER: Spans = ((0.0, 3.0), (8.0, 11.5), (14.6, 17.2), (20.0, 24.0))
INFANT_LOOKS_AT_TOY: Spans = ((17.4, 20.0),)
INFANT_VOCALISES: Spans = ((5.0, 5.9), (21.4, 22.1))
INFANT_FUSSES: Spans = ((12.0, 13.8),)
INFANT_SMILES: Spans = ((1.0, 3.0), (8.6, 11.2), (20.5, 24.0))
INFANT_REACHES: Spans = ((12.1, 13.7), (18.2, 19.6))
CAREGIVER_LOOKS_AWAY: Spans = ((10.8, 14.4),)
CAREGIVER_TALKS: Spans = ((1.0, 2.6), (6.2, 7.6), (15.0, 16.6), (22.4, 23.4))
CAREGIVER_REACHES: Spans = ((6.5, 8.6), (14.9, 17.0))
CAREGIVER_SHOWS_TOY: Spans = ((17.2, 20.2),)
CAREGIVER_SMILES: Spans = ((0.0, 3.2), (7.0, 10.6), (15.0, 24.0))


def level(t: float, spans: Spans, ramp: float = 0.3) -> float:
    """How much a behaviour is on at ``t`` (0..1), easing in and out over ``ramp`` seconds."""
    best = 0.0
    for start, end in spans:
        if start - ramp < t < end + ramp:
            rise = min(1.0, (t - start + ramp) / ramp)
            fall = min(1.0, (end + ramp - t) / ramp)
            x = max(0.0, min(rise, fall))
            best = max(best, x * x * (3 - 2 * x))
    return best


@dataclass(frozen=True, slots=True)
class Pose:
    """What the two figures do in one frame (each value 0..1 unless noted)."""

    infant_gaze: float  # -1 towards the caregiver, +1 away, 0 ahead (at the toy)
    caregiver_gaze: float  # +1 towards the infant, -1 away
    infant_mouth: float
    infant_smile: float
    infant_fuss: float
    infant_reach: float
    caregiver_mouth: float
    caregiver_smile: float
    caregiver_reach: float
    toy: float
    breath: float  # -1..1, a slow sway that keeps the picture alive


def pose_at(t: float) -> Pose:
    """The pose at ``t`` seconds of the script."""
    at_cg = level(t, INFANT_LOOKS_AT_CAREGIVER)
    at_toy = level(t, INFANT_LOOKS_AT_TOY)
    infant_gaze = -at_cg + (1 - at_cg) * (1 - at_toy) * 0.9
    syllables = 0.5 + 0.5 * math.sin(2 * math.pi * 4.0 * t)
    fuss = level(t, INFANT_FUSSES, 0.2)
    return Pose(
        infant_gaze=infant_gaze,
        caregiver_gaze=1 - 2 * level(t, CAREGIVER_LOOKS_AWAY, 0.4),
        infant_mouth=max(level(t, INFANT_VOCALISES, 0.15), fuss * (0.6 + 0.4 * syllables)),
        infant_smile=level(t, INFANT_SMILES) * (1 - fuss),
        infant_fuss=fuss,
        infant_reach=level(t, INFANT_REACHES, 0.35),
        caregiver_mouth=level(t, CAREGIVER_TALKS, 0.1) * syllables,
        caregiver_smile=level(t, CAREGIVER_SMILES, 0.5),
        caregiver_reach=level(t, CAREGIVER_REACHES, 0.5),
        toy=level(t, CAREGIVER_SHOWS_TOY, 0.4),
        breath=math.sin(2 * math.pi * t / 3.7),
    )


# --- drawing ------------------------------------------------------------------------------------

_WALL_TOP = np.array([238, 229, 214], dtype=np.float32)
_WALL_LOW = np.array([221, 206, 186], dtype=np.float32)
_FLOOR = (176, 146, 122)
_RUG = (150, 96, 88)
_SKIN = (236, 196, 166)
_SKIN_INFANT = (244, 208, 180)
_HAIR = (92, 62, 44)
_SWEATER = (62, 112, 152)
_SLEEVE = (52, 98, 136)
_TROUSERS = (70, 72, 92)
_ONESIE = (244, 200, 84)
_SEAT = (150, 160, 172)
_INK = (54, 40, 36)
_TOY = (214, 58, 58)
_AA = cv2.LINE_AA


def render_demo_frame(index: int, width: int, height: int, fps: int, stretch: float) -> np.ndarray:
    """The RGB picture of frame ``index`` (the script runs ``stretch`` times slower)."""
    t = index / fps / stretch
    pose = pose_at(t)
    s = width / 640  # every coordinate below is for 640 × 360 and scaled
    image = _room(width, height, s)
    _draw_caregiver(image, pose, s)
    _draw_infant(image, pose, s)
    _draw_frame_number(image, index)
    return image


def _room(width: int, height: int, s: float) -> np.ndarray:
    horizon = int(height * 0.66)
    mix = np.linspace(0.0, 1.0, horizon, dtype=np.float32)[:, None]
    image = np.empty((height, width, 3), dtype=np.uint8)
    image[:horizon] = ((1 - mix) * _WALL_TOP + mix * _WALL_LOW)[:, None, :].astype(np.uint8)
    image[horizon:] = _FLOOR
    cv2.ellipse(image, _pt(330, 318, s), _sz(250, 34, s), 0, 0, 360, _RUG, -1, _AA)
    cv2.rectangle(image, _pt(470, 40, s), _pt(600, 150, s), (250, 250, 246), -1)
    cv2.rectangle(image, _pt(476, 46, s), _pt(594, 144, s), (178, 212, 236), -1)
    cv2.line(image, _pt(535, 46, s), _pt(535, 144, s), (250, 250, 246), max(1, round(4 * s)))
    cv2.line(image, _pt(40, 150, s), _pt(160, 150, s), (150, 110, 80), max(2, round(6 * s)))
    for i, colour in enumerate(((90, 140, 90), (200, 160, 60), (120, 90, 160))):
        cv2.rectangle(image, _pt(52 + 30 * i, 112, s), _pt(72 + 30 * i, 147, s), colour, -1)
    return image


def _draw_caregiver(image: np.ndarray, pose: Pose, s: float) -> None:
    lean = 6 * pose.caregiver_reach + 2 * pose.breath
    cx, cy = 200 + lean, 200
    cv2.ellipse(image, _pt(175, 300, s), _sz(70, 26, s), 0, 0, 360, _TROUSERS, -1, _AA)
    cv2.ellipse(image, _pt(cx, cy + 40, s), _sz(62, 86, s), 0, 0, 360, _SWEATER, -1, _AA)
    head = (cx + 10 * pose.caregiver_reach, 108 + 1.5 * pose.breath)
    # the far arm rests; the near arm reaches towards the infant or holds up the toy
    _limb(image, (cx - 40, cy - 10), (cx - 60, cy + 70), 20, _SWEATER, s)
    reach = pose.caregiver_reach
    hand = (
        cx + 40 + 150 * reach + 30 * pose.toy,
        cy + 60 - 30 * reach - 90 * pose.toy + 6 * pose.toy * math.sin(pose.breath * 9),
    )
    elbow = ((cx + 40 + hand[0]) / 2 + 5, max(cy + 30, (cy + hand[1]) / 2 + 30))
    _limb(image, (cx + 36, cy - 14), elbow, 20, _SLEEVE, s)
    _limb(image, elbow, hand, 17, _SLEEVE, s)
    cv2.circle(image, _pt(*hand, s), max(2, round(11 * s)), _SKIN, -1, _AA)
    if pose.toy > 0.02:
        toy = (hand[0] + 4, hand[1] - 22 * pose.toy)
        cv2.line(image, _pt(*hand, s), _pt(*toy, s), (120, 80, 40), max(1, round(4 * s)), _AA)
        cv2.circle(image, _pt(*toy, s), max(2, round(14 * s * pose.toy)), _TOY, -1, _AA)
    cv2.ellipse(image, _pt(cx, cy - 42, s), _sz(16, 10, s), 0, 0, 360, _SKIN, -1, _AA)
    _face(
        image,
        head,
        40,
        pose.caregiver_gaze,
        pose.caregiver_mouth,
        pose.caregiver_smile,
        0.0,
        s,
        _SKIN,
        hair=True,
    )


def _draw_infant(image: np.ndarray, pose: Pose, s: float) -> None:
    bx, by = 450, 262 + 1.0 * pose.breath
    cv2.ellipse(image, _pt(bx + 8, 300, s), _sz(78, 20, s), 0, 0, 360, (120, 124, 134), -1, _AA)
    cv2.ellipse(image, _pt(bx + 16, 262, s), _sz(58, 44, s), -25, 180, 360, _SEAT, -1, _AA)
    cv2.ellipse(image, _pt(bx + 4, 286, s), _sz(64, 16, s), 0, 0, 360, _SEAT, -1, _AA)
    cv2.ellipse(image, _pt(bx, by, s), _sz(30, 38, s), 0, 0, 360, _ONESIE, -1, _AA)
    _limb(image, (bx - 8, by + 30), (bx - 36, by + 36), 12, _ONESIE, s)
    _limb(image, (bx + 10, by + 30), (bx - 22, by + 44), 12, _ONESIE, s)
    wave = math.sin(pose.breath * 12) * 8 * pose.infant_fuss
    for side, up in (
        (-1, pose.infant_reach),
        (1, pose.infant_reach * 0.6 + pose.infant_fuss * 0.6),
    ):
        shoulder = (bx + 20 * side, by - 16)
        hand = (
            bx + 30 * side - 26 * up * (1 if side < 0 else 0.3),
            by + 10 - 48 * up + wave * side,
        )
        _limb(image, shoulder, hand, 11, _ONESIE, s)
        cv2.circle(image, _pt(*hand, s), max(2, round(7 * s)), _SKIN_INFANT, -1, _AA)
    head = (bx + 3 * pose.infant_gaze, by - 62 + 1.0 * pose.breath)
    _face(
        image,
        head,
        27,
        pose.infant_gaze,
        pose.infant_mouth,
        pose.infant_smile,
        pose.infant_fuss,
        s,
        _SKIN_INFANT,
        hair=False,
    )
    if pose.infant_mouth > 0.3:
        side = -1 if pose.infant_gaze <= 0.2 else 1
        mouth = (head[0] + 0.5 * 27 * pose.infant_gaze + side * 10, head[1] + 10)
        start = 150 if side < 0 else -30
        for k in range(1, 3):
            cv2.ellipse(
                image,
                _pt(*mouth, s),
                _sz(10 * k, 10 * k, s),
                0,
                start,
                start + 60,
                _INK,
                max(1, round(2 * s)),
                _AA,
            )


def _face(
    image: np.ndarray,
    centre: tuple[float, float],
    r: float,
    turn: float,
    mouth: float,
    smile: float,
    fuss: float,
    s: float,
    skin: tuple[int, int, int],
    *,
    hair: bool,
) -> None:
    """A round head whose features shift with ``turn`` (-1 left .. +1 right) to show the gaze."""
    x, y = centre
    cv2.circle(image, _pt(x, y, s), max(3, round(r * s)), skin, -1, _AA)
    if hair:
        cv2.ellipse(
            image, _pt(x - 4 * turn, y - 6, s), _sz(r + 3, r + 2, s), 0, 180, 360, _HAIR, -1
        )
        cv2.ellipse(
            image, _pt(x - r * 0.7 * turn, y + 4, s), _sz(r * 0.5, r, s), 0, 0, 360, _HAIR, -1
        )
    else:
        tuft = (x - 0.3 * r * turn, y - r * 0.8)
        cv2.ellipse(image, _pt(*tuft, s), _sz(6, 4, s), 0, 0, 360, (170, 120, 90), -1, _AA)
    fx, fy = x + 0.5 * r * turn, y
    for side in (-1, 1):
        ex = fx + side * 0.32 * r * (1 - 0.35 * abs(turn))
        cv2.circle(image, _pt(ex, fy - 0.12 * r, s), max(1, round(0.1 * r * s)), _INK, -1, _AA)
        if fuss > 0.3:
            brow = fy - 0.32 * r
            cv2.line(
                image,
                _pt(ex - 0.12 * r, brow - side * 0.05 * r, s),
                _pt(ex + 0.12 * r, brow + side * 0.05 * r, s),
                _INK,
                max(1, round(2 * s)),
                _AA,
            )
    my = fy + 0.38 * r
    if mouth > 0.15:
        size = _sz(0.14 * r + 0.06 * r * mouth, 0.06 * r + 0.16 * r * mouth, s)
        cv2.ellipse(image, _pt(fx, my, s), size, 0, 0, 360, (120, 40, 50), -1, _AA)
        return
    curve = smile - fuss
    height = max(1.0, abs(curve) * 0.14 * r)
    start, end = (20, 160) if curve >= 0 else (200, 340)
    centre_y = my if curve >= 0 else my + 0.1 * r
    cv2.ellipse(
        image,
        _pt(fx, centre_y, s),
        _sz(0.24 * r, height, s),
        0,
        start,
        end,
        _INK,
        max(1, round(2 * s)),
        _AA,
    )


def _limb(
    image: np.ndarray,
    a: tuple[float, float],
    b: tuple[float, float],
    width: float,
    colour: tuple[int, int, int],
    s: float,
) -> None:
    cv2.line(image, _pt(*a, s), _pt(*b, s), colour, max(2, round(width * s)), _AA)


def _draw_frame_number(image: np.ndarray, index: int) -> None:
    """The block code (top-left strip) and the index in small digits beneath it."""
    block_w, block_h = CODE_WIDTH // CODE_BITS, CODE_HEIGHT // 2
    for k in range(CODE_BITS):
        bit = (index >> (CODE_BITS - 1 - k)) & 1
        x0, x1 = k * block_w, (k + 1) * block_w
        image[:block_h, x0:x1] = 255 if bit else 0
        image[block_h : 2 * block_h, x0:x1] = 0 if bit else 255
    text = f"frame {index}"
    font = cv2.FONT_HERSHEY_SIMPLEX
    (tw, th), _ = cv2.getTextSize(text, font, 0.42, 1)
    cv2.rectangle(image, (0, CODE_HEIGHT), (tw + 8, CODE_HEIGHT + th + 8), (30, 30, 30), -1)
    cv2.putText(image, text, (4, CODE_HEIGHT + th + 4), font, 0.42, (240, 240, 240), 1, _AA)


def _pt(x: float, y: float, s: float) -> tuple[int, int]:
    return round(x * s), round(y * s)


def _sz(w: float, h: float, s: float) -> tuple[int, int]:
    return max(1, round(w * s)), max(1, round(h * s))


# --- sound --------------------------------------------------------------------------------------


def sound_track(seconds: float, stretch: float) -> np.ndarray:
    """A soft room tone with the infant's coos and fussing and the caregiver's speech."""
    n = round(seconds * AUDIO_RATE)
    t = np.arange(n) / AUDIO_RATE
    script_t = t / stretch
    rng = np.random.default_rng(20240)
    room = np.convolve(rng.normal(0, 0.012, n), np.ones(24) / 24, mode="same")
    wave = room.astype(np.float64)
    env = _envelope(script_t, INFANT_VOCALISES, 0.08)
    pitch = 430 + 160 * np.sin(np.pi * np.clip(_phase(script_t, INFANT_VOCALISES), 0, 1))
    wave += 0.10 * env * _harmonics(t, pitch, (1.0, 0.35, 0.12))
    env = _envelope(script_t, INFANT_FUSSES, 0.06) * (0.6 + 0.4 * np.sin(2 * np.pi * 3.1 * t) ** 2)
    wave += 0.07 * env * _harmonics(t, 520 + 40 * np.sin(2 * np.pi * 5 * t), (1.0, 0.6, 0.4, 0.3))
    syllables = 0.5 + 0.5 * np.sin(2 * np.pi * 4.0 * script_t)
    env = _envelope(script_t, CAREGIVER_TALKS, 0.05) * syllables
    pitch = 210 + 30 * np.sin(2 * np.pi * 0.9 * t)
    wave += 0.08 * env * _harmonics(t, pitch, (1.0, 0.5, 0.3, 0.15))
    return np.clip(wave, -1, 1).astype(np.float32)


def _envelope(t: np.ndarray, spans: Spans, ramp: float) -> np.ndarray:
    out = np.zeros_like(t)
    for start, end in spans:
        rise = np.clip((t - start) / ramp, 0, 1)
        fall = np.clip((end - t) / ramp, 0, 1)
        out = np.maximum(out, np.minimum(rise, fall))
    return out


def _phase(t: np.ndarray, spans: Spans) -> np.ndarray:
    """0..1 through whichever span ``t`` is in (0 outside)."""
    out = np.zeros_like(t)
    for start, end in spans:
        inside = (t >= start) & (t <= end)
        out[inside] = (t[inside] - start) / (end - start)
    return out


def _harmonics(t: np.ndarray, pitch: np.ndarray | float, weights: Sequence[float]) -> np.ndarray:
    phase = 2 * np.pi * np.cumsum(np.broadcast_to(pitch, t.shape)) / AUDIO_RATE
    total = np.zeros_like(phase)
    for k, weight in enumerate(weights):
        total += weight * np.sin((k + 1) * phase)
    return total / sum(weights)
