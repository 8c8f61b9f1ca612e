"""The bundled demo project and the generated clips that tests and benchmarks use.

:mod:`~coder.demo.project` makes the demo (on first start), :mod:`~coder.demo.scene` draws its
home-visit scene, and :mod:`~coder.demo.synth` writes clips with frame numbers burned in.
"""

from coder.demo.project import (
    CLIP_NAME,
    DEMO_FOLDER,
    DEMO_SCHEME,
    PROJECT_NAME,
    demo_scheme,
    ensure_demo_project,
    make_demo_clip,
    make_demo_project,
    read_demo_frame_number,
)

__all__ = [
    "CLIP_NAME",
    "DEMO_FOLDER",
    "DEMO_SCHEME",
    "PROJECT_NAME",
    "demo_scheme",
    "ensure_demo_project",
    "make_demo_clip",
    "make_demo_project",
    "read_demo_frame_number",
]
