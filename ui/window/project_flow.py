"""Steps of opening a project that ask the user something: who codes, which observation, and
where a moved video went. They ask through :class:`~ui.dialogs.prompts.Prompts` and change the
project only through its own API.
"""

from __future__ import annotations

from pathlib import Path

from coder.coding.session import SessionError
from coder.demo import DEMO_FOLDER, PROJECT_NAME
from coder.jobs import Progress
from coder.media import MediaError, MediaInfo, fingerprint, probe
from coder.model import Media, Observation
from coder.project import Project, ProjectError
from coder.project.media_files import unique_name
from coder.scheme import SchemeError
from coder.store.factory import is_server
from coder.timefmt import format_clock
from ui.dialogs.answers import ObservationDraft, ObservationRow
from ui.dialogs.prompts import Prompts

OPEN_ERRORS = (ProjectError, SchemeError, MediaError, SessionError, OSError)
"""What opening a project, an observation or a video may raise: shown, never a crash."""


def is_demo_path(path: Path) -> bool:
    """Whether ``path`` is the bundled demo project (kept in Attune's data folder)."""
    return path.name == PROJECT_NAME and path.parent.name == DEMO_FOLDER


def start_folder(projects: list[Path]) -> Path:
    """Where file dialogs start: the folder of the first of ``projects`` (the open one, then
    recent ones) that is not the demo; a study does not belong in Attune's own data."""
    for path in projects:
        if not is_demo_path(path) and path.parent.is_dir():
            return path.parent
    return Path.home()


def naming_message(exc: BaseException, path: Path | str) -> str:
    """The error's own text, with the file's path (or the server's address) in front when the
    text does not name it."""
    text = str(exc) or exc.__class__.__name__
    if isinstance(path, str) and is_server(path):
        return text if path in text else f"{path}: {text}"
    path = Path(path)
    return text if str(path) in text or path.name in text else f"{path}: {text}"


def as_location(path: str | Path) -> Path | str:
    """Where a project is: a server's address stays text, anything else is a file path."""
    return path if isinstance(path, str) and is_server(path) else Path(path)


SERVER_EXAMPLE = "postgresql://kl@lab-server/infant_study"


def ask_server_address(prompts: Prompts, recent: list[Path | str]) -> str | None:
    """Ask for a lab server's address (the last one used is offered); None when cancelled.
    Something that is no server address is said, and asked again."""
    last = next((r for r in recent if isinstance(r, str)), "")
    while True:
        typed = prompts.ask_text(
            "Open lab server",
            f"The project's address on the lab server (e.g. {SERVER_EXAMPLE}); the password "
            "comes from PGPASSWORD, ~/.pgpass or a service file, never from Attune:",
            last,
        )
        if typed is None or not typed.strip():
            return None
        address = typed.strip()
        if is_server(address):
            return address
        prompts.error(
            "Not a lab server's address",
            f"{address!r} is not a lab server's address: it starts with postgresql:// "
            f"(e.g. {SERVER_EXAMPLE}). A project file is opened with File → Open project…",
        )
        last = address


Probe = MediaInfo | Exception
"""What probing one video gave: its facts, or why it could not be read."""


def probe_videos(paths: list[Path], progress: Progress) -> list[Probe]:
    """Probe every video of ``paths`` (a background job's work: no project, no window)."""
    found: list[Probe] = []
    for number, path in enumerate(paths):
        progress(number, len(paths), path.name)
        try:
            found.append(probe(path))
        except OPEN_ERRORS as exc:
            found.append(exc)
    progress(len(paths), len(paths), "")
    return found


def add_observations(
    project: Project, paths: list[Path], probes: list[Probe], prompts: Prompts
) -> int:
    """One observation per probed video, named (with participant, visit and recording time)
    in a dialog; a video that cannot be read is said and left out. Returns how many."""
    readable: list[tuple[Path, MediaInfo]] = []
    for path, probed in zip(paths, probes, strict=True):
        if isinstance(probed, Exception):
            prompts.error("Cannot add this video", naming_message(probed, path))
        else:
            readable.append((path, probed))
    if not readable:
        return 0
    taken = {o.name for o in project.observations}
    drafts: list[ObservationDraft] = []
    for path, _ in readable:
        name = unique_name(path.stem, taken | {d.name for d in drafts})
        drafts.append(ObservationDraft((path,), name))
    answered = prompts.observation_details(drafts, taken, cameras=False)
    if answered is None:
        return 0
    added = 0
    for draft, (path, probed) in zip(answered, readable, strict=True):
        try:
            project.add_observation(
                [path],
                name=draft.name,
                participant=draft.participant,
                visit=draft.visit,
                date=draft.date,
                probed=[probed],
            )
            added += 1
        except OPEN_ERRORS as exc:
            prompts.error("Cannot add this video", naming_message(exc, path))
    return added


def add_camera_views(
    project: Project, paths: list[Path], probes: list[Probe], prompts: Prompts
) -> Observation | None:
    """One observation holding every video of ``paths`` as a camera view of one session,
    named and synchronised (offsets) in a dialog. The first video is the time reference.
    A set that cannot be added is said and nothing is stored.
    """
    if not paths:
        return None
    readable = [p for p in probes if isinstance(p, MediaInfo)]
    for path, probed in zip(paths, probes, strict=True):
        if isinstance(probed, Exception):
            prompts.error("Cannot add these videos", naming_message(probed, path))
            return None
    taken = {o.name for o in project.observations}
    draft = ObservationDraft(
        tuple(paths), unique_name(paths[0].stem, taken), offsets_s=(0.0,) * len(paths)
    )
    answered = prompts.observation_details([draft], taken, cameras=True)
    if not answered:
        return None
    (chosen,) = answered
    try:
        return project.add_observation(
            paths,
            name=chosen.name,
            participant=chosen.participant,
            visit=chosen.visit,
            date=chosen.date,
            offsets_us=[round(s * 1e6) for s in chosen.offsets_s],
            probed=readable,
        )
    except OPEN_ERRORS as exc:
        prompts.error("Cannot add these videos", naming_message(exc, paths[0]))
        return None


def observation_rows(project: Project, initials: str, blind: bool) -> list[ObservationRow]:
    """The picker's rows; in blind mode only ``initials``' own pass is described."""
    codings = project.codings()
    counts = project.event_counts()
    rows = []
    for obs in project.observations:
        passes = [c for c in codings if c.observation_id == obs.id]
        if blind:
            passes = [c for c in passes if c.coder.initials.upper() == initials.upper()]
        parts = []
        for info in passes:
            status = "done" if info.status.value == "done" else "in progress"
            n = counts.get(info.id, 0)
            text = f"{status}, {n} event{'s' if n != 1 else ''}"
            parts.append(text if blind else f"{info.coder.initials}: {text}")
        status = "; ".join(parts) or "not started"
        videos = ", ".join(Path(m.path).name for m in obs.media)
        length = format_clock(obs.media[0].duration_us) if obs.media else "–"
        rows.append(ObservationRow(obs.id, obs.name, obs.participant, videos, length, status))
    return rows


def relink_missing(project: Project, observation: Observation, prompts: Prompts) -> Observation:
    """Ask for every video of ``observation`` that is not where the project expects it.

    Returns the observation as stored afterwards (with the new paths). Videos the user does not
    find stay missing; nothing else changes.
    """
    changed = False
    for media in observation.media:
        expected = project.media_path(media)
        if not expected.is_file():
            changed |= relink_one(project, media, expected, prompts)
    return project.observation(observation.id) if changed else observation


def relink_one(project: Project, media: Media, expected: Path, prompts: Prompts) -> bool:
    """Find one moved video: by content in a folder, or a chosen file (checked by content)."""
    name = Path(media.path).name
    while True:
        answer = prompts.relink(media, expected)
        if answer is None:
            return False
        force = False
        if answer.kind == "search":
            found = project.find_moved_media(media, [answer.path])
            if found is None:
                prompts.error(
                    "Video not found",
                    f"No file in {answer.path} or its subfolders has the content of {name}. "
                    "Try another folder, or choose the file.",
                )
                continue
            target = found
        else:
            target = answer.path
            if not fingerprint.matches(target, media.fingerprint, media.size_bytes):
                question = (
                    f"{target} is not the same recording as {name}: its content differs.\n\n"
                    "Codes are stamped on the frames of the original video; with another file "
                    "they may land on other moments. Use this file anyway?"
                )
                if not prompts.confirm("Different video", question, ok="Use it anyway"):
                    continue
                force = True
        try:
            project.relink(media, target, force=force)
        except ProjectError as exc:
            prompts.error("Cannot use this video", str(exc))
            continue
        return True


def read_only_text(project: Project) -> str:
    """Why a project opened for reading only, and what the coder can do."""
    why = project.read_only_reason or "it cannot be written where it lies"
    return (
        f"{project.path} is open for reading only: {why}. Its passes can be viewed, exported "
        "and compared, but no code can be saved. To code, copy the project (with its video "
        "folder) to a writable folder and open the copy."
    )
