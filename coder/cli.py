"""The ``attune`` command: the app, and headless subcommands for scripts and terminals.

``attune`` alone or ``attune PROJECT.attune`` opens the app (through the opener the ``ui``
layer passes to :func:`main`); ``attune new|add-video|info|check|schemes`` work without a
display. A user error (bad arguments, a missing or unreadable
file) prints one line on stderr naming the file and the cause and exits with status 2.
``export`` and ``agreement`` are provided by modules that plug in here (see :data:`PLUGINS`):
each has ``add_arguments(parser)`` and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from coder import __version__
from coder.timefmt import format_short

#: The largest camera offset accepted (seconds, either way): a day.
MAX_OFFSET_S = 86_400.0

if TYPE_CHECKING:
    from coder.project import Project

#: Subcommands implemented in other modules: name -> (module, one-line help).
PLUGINS: dict[str, tuple[str, str]] = {
    "export": ("coder.export.cli", "export events and ratings (xlsx, csv, sav ...)"),
    "agreement": ("coder.agreement.cli", "inter-rater agreement report between coders"),
    "plot": ("coder.export.plot_cli", "draw a pass's timeline, the time budget or visits"),
    "server": ("coder.server.cli", "set a lab server up: a project, a login role per coder"),
    "push": ("coder.server.push", "upload a project file to a lab server"),
    "pull": ("coder.server.pull", "archive a lab server's project to a project file"),
    "handout": ("coder.sharing.handout_cli", "write a coder's package of observations"),
    "merge": ("coder.sharing.merge_cli", "bring a coder's package back into the project"),
    "import": ("coder.interop.cli", "import a BORIS project, an ELAN file or an events table"),
}
#: Every subcommand of ``attune``.
SUBCOMMANDS: tuple[str, ...] = (
    "new", "add-video", "info", "check", "schemes", "master", *PLUGINS,
)  # fmt: skip


class UsageError(Exception):
    """A command line that cannot be carried out; the message is the one line to print."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


Handler = Callable[[argparse.Namespace], int]
#: Starts the app on a project file or a server's address (the demo when ``None``); returns
#: the exit status.
AppOpener = Callable[[Path | str | None], int]


def _out(text: str = "", stream: TextIO | None = None) -> None:
    """Print one line; a character the stream's encoding lacks (a Windows console piped to a
    file is cp1252) is printed as ``?`` rather than failing after the work is done."""
    stream = sys.stdout if stream is None else stream
    encoding = getattr(stream, "encoding", None) or "utf-8"
    print(text.encode(encoding, "replace").decode(encoding), file=stream, flush=True)


# ------------------------------------------------------------------ subcommands
def _cmd_new(args: argparse.Namespace) -> int:
    from coder.project import Project
    from coder.scheme import load_scheme
    from coder.store.factory import is_server

    path: Path | str = args.project if is_server(args.project) else Path(args.project)
    if isinstance(path, Path) and path.exists():
        kind = "folder" if path.is_dir() else "file"
        raise UsageError(f"{path}: a {kind} of that name already exists; not overwritten")
    scheme = load_scheme(args.scheme)
    with Project.create(path, scheme) as project:
        stored = project.scheme
    _out(
        f"created {path} with scheme {stored.name!r} (version {stored.version}): "
        f"{len(stored.behaviours)} behaviours, {len(stored.scales)} rating scales"
    )
    return 0


def _is_date(text: str) -> bool:
    """Whether ``text`` is empty, an ISO date, or an ISO date and clock time."""
    from datetime import date, datetime

    text = text.strip()
    if not text:
        return True
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(text)
            return True
        except ValueError:
            continue
    return False


def _cmd_add_video(args: argparse.Namespace) -> int:
    from coder import media
    from coder.project import file_problem

    videos = [Path(v) for v in args.videos]
    for video in videos:
        if (problem := file_problem(video, "video")) is not None:
            raise UsageError(problem)
    for offset in args.offsets or ():
        if not math.isfinite(offset) or abs(offset) > MAX_OFFSET_S:
            raise UsageError(
                f"--offsets {offset:g}: an offset is a number of seconds between "
                f"-{MAX_OFFSET_S:g} and {MAX_OFFSET_S:g}"
            )
    offsets = [round(s * 1e6) for s in args.offsets] if args.offsets else None
    if not _is_date(args.recorded):
        raise UsageError(
            f"--recorded {args.recorded!r}: give a date (2026-03-04) or a date and clock time "
            "(2026-03-04T10:15:30)"
        )
    if offsets is not None and (not args.cameras or len(offsets) != len(videos)):
        raise UsageError("--offsets takes one value per video, and only with --cameras")
    try:
        probes = [media.probe(video) for video in videos]  # all are read before any is added
        pairs = zip(videos, probes, strict=True)
        groups = [(videos, probes)] if args.cameras else [([v], [p]) for v, p in pairs]
        with _open(args.project) as project:
            for paths, infos in groups:
                obs = project.add_observation(
                    paths,
                    participant=args.participant,
                    visit=args.visit,
                    date=args.recorded.strip(),
                    offsets_us=offsets,
                    probed=infos,
                )
                first = obs.media[0]
                extras = "".join(
                    [", variable frame rate" if first.variable_frame_rate else "",
                     ", audio" if first.has_audio else "",
                     f", {len(obs.media)} cameras" if len(obs.media) > 1 else ""]
                )  # fmt: skip
                who = f" ({obs.participant})" if obs.participant else ""
                _out(
                    f"added observation {obs.id} {obs.name!r}{who}: {first.frame_count} frames, "
                    f"{format_short(first.duration_us)}, {first.fps:.3g} fps{extras}"
                )
    except media.MediaError as exc:
        raise UsageError(str(exc)) from exc
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    with _open(args.project, reading=True) as project:
        scheme = project.scheme
        observations = project.observations
        codings = project.codings()
        events, ratings = project.event_counts(), project.rating_counts()
        names = {o.id: o.name for o in observations}
        _out(f"project   {project.location}")
        _out(
            f"scheme    {scheme.name!r} version {scheme.version}: {len(scheme.behaviours)} "
            f"behaviours, {len(scheme.scales)} rating scales"
        )
        _out(f"observations ({len(observations)})")
        for obs in observations:
            who = f"  participant {obs.participant}" if obs.participant else ""
            visit = f"  visit {obs.visit}" if obs.visit else ""
            _out(f"  {obs.id:>4}  {obs.name}{who}{visit}")
            for m in obs.media:
                missing = "" if project.media_path(m).is_file() else "  (file not found)"
                vfr = " VFR" if m.variable_frame_rate else ""
                offset = f"  offset {m.offset_us / 1e6:+.3f} s" if m.offset_us else ""
                _out(
                    f"        {m.path}  {m.frame_count} frames  {format_short(m.duration_us)}  "
                    f"{m.fps:.3g} fps{vfr}{offset}{missing}"
                )
        coders = project.coders
        _out(f"coders ({len(coders)})  {', '.join(c.initials for c in coders)}".rstrip())
        _out(f"codings ({len(codings)})")
        for c in codings:
            master = "  master" if c.is_master else ""
            where = names.get(c.observation_id, c.observation_id)
            _out(
                f"  pass {c.id}  {where}  {c.coder.initials}  "
                f"{c.status.value}{master}  {events.get(c.id, 0)} events  "
                f"{ratings.get(c.id, 0)} ratings  updated {c.updated_at}"
            )
        _out(f"total     {sum(events.values())} events, {sum(ratings.values())} ratings")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from coder.project import ProjectError
    from coder.store.base import DamagedFileError

    try:
        project = _open(args.project)
    except ProjectError as exc:
        if isinstance(exc.__cause__, DamagedFileError):
            _out(str(exc))
            return 1
        raise
    with project:
        problems = project.check()
    for problem in problems:
        _out(problem)
    if problems:
        _out(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {args.project}")
        return 1
    _out(f"{args.project}: no problems found")
    return 0


def _cmd_schemes(args: argparse.Namespace) -> int:
    from coder.scheme import SchemeError, bundled_schemes, load_scheme

    bundled = bundled_schemes()
    if not bundled:
        _out("no bundled schemes")
        return 0
    width = max(len(name) for name in bundled)
    for name, path in bundled.items():
        try:
            scheme = load_scheme(path)
        except SchemeError as exc:
            _out(f"{name:<{width}}  (cannot be loaded: {exc})")
            continue
        about = _first_sentence(scheme.description)
        _out(f"{name:<{width}}  {scheme.name} (version {scheme.version})  {about}".rstrip())
    return 0


def _cmd_master(args: argparse.Namespace) -> int:
    with _open(args.project) as project:
        passes = project.passes()
        chosen = next((c for c in passes if c.id == args.coding), None)
        if chosen is None:
            known = ", ".join(f"{c.id} ({c.coder.initials})" for c in passes) or "none"
            raise UsageError(f"{args.project}: there is no pass {args.coding} (passes: {known})")
        marked = project.set_master(chosen, is_master=not args.clear)
        obs = project.observation(marked.observation_id)
    what = "no longer the master pass" if args.clear else "the master (reference) pass"
    _out(f"pass {marked.id} by {marked.coder.initials} is {what} of {obs.name}")
    return 0


def _first_sentence(text: str, limit: int = 90) -> str:
    words = " ".join(text.split())
    end = words.find(". ")
    sentence = words if end < 0 else words[: end + 1]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _open(path: str, *, reading: bool = False) -> Project:
    """Open a project. ``reading``: for a command that only reports, opened for reading only,
    which spares the full check of the file that comes before any write (a file that cannot
    be read so, an older format, is opened as usual and says why)."""
    from coder.project import Project, ProjectError
    from coder.store.factory import unwritable_because

    why = unwritable_because(path)
    project: Project | None = None
    if reading:
        try:
            project = Project.open(path, read_only=True)
        except ProjectError:
            project = None
    if project is None:
        project = Project.open(path)
        why = project.read_only_reason if project.read_only else why
    if why:
        print(f"attune: {path}: read-only ({why}); opened for reading only", file=sys.stderr)
    return project


# ------------------------------------------------------------------ parser
def build_parser() -> argparse.ArgumentParser:
    """The parser of ``attune``'s subcommands (plug-in subcommands are listed, not parsed)."""
    parser = _Parser(
        prog="attune",
        description="Frame-exact coding of caregiver-infant interaction videos. Without a "
        "subcommand, opens the app (on PROJECT.attune when given).",
        epilog="attune [PROJECT.attune] opens the app; attune SUBCOMMAND --help explains one.",
    )
    parser.add_argument("--version", action="version", version=f"attune {__version__}")
    sub = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND")

    def add(name: str, handler: Handler | None, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    new = add("new", _cmd_new, "create a project with a coding scheme")
    new.add_argument("project", metavar="PROJECT", help="the new project file (*.attune)")
    new.add_argument(
        "--scheme", required=True, metavar="SCHEME", help="a scheme file or a bundled scheme name"
    )
    video = add(
        "add-video", _cmd_add_video, "add one observation per video (or one with --cameras)"
    )
    video.add_argument("project", metavar="PROJECT")
    video.add_argument("videos", metavar="VIDEO", nargs="+")
    video.add_argument(
        "--cameras",
        action="store_true",
        help="the videos are camera views of ONE observation; the first is the time reference",
    )
    video.add_argument(
        "--offsets",
        metavar="SECONDS",
        type=float,
        nargs="+",
        help="with --cameras: where each video's time 0 falls on the reference clock",
    )
    video.add_argument("--participant", metavar="ID", help="participant id of the observations")
    video.add_argument("--visit", metavar="VISIT", help="visit or wave of the observations")
    video.add_argument(
        "--recorded",
        metavar="WHEN",
        default="",
        help="date or date and clock time the recording started (2026-03-04T10:15:30)",
    )
    info = add("info", _cmd_info, "print observations, coders, coding passes and counts")
    info.add_argument("project", metavar="PROJECT")
    check = add("check", _cmd_check, "integrity check (exit 0 when sound, 1 with problems)")
    check.add_argument("project", metavar="PROJECT")
    add("schemes", _cmd_schemes, "list the bundled coding schemes")
    master = add("master", _cmd_master, "mark a pass as its observation's master (reference)")
    master.add_argument("project", metavar="PROJECT")
    master.add_argument(
        "--pass", dest="coding", type=int, required=True, metavar="ID",
        help="the pass id (attune info lists them)",
    )  # fmt: skip
    master.add_argument("--clear", action="store_true", help="un-mark it instead")
    for name, (_module, help_text) in PLUGINS.items():
        add(name, None, help_text).add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def _run_plugin(name: str, argv: Sequence[str]) -> int:
    module_name, help_text = PLUGINS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise UsageError(
                f"attune {name}: this installation lacks its module {module_name}; reinstall Attune"
            ) from exc
        raise
    parser = _Parser(prog=f"attune {name}", description=help_text)
    module.add_arguments(parser)
    return int(module.run(parser.parse_args(list(argv))))


def _run_app(argv: Sequence[str], open_app: AppOpener | None) -> int:
    from coder.store.factory import check_location, is_server

    if len(argv) > 1:
        raise UsageError(f"attune: unknown subcommand {argv[0]!r} (see attune --help)")
    if argv and is_server(argv[0]):
        check_location(argv[0])  # a clear line now: unreachable, refused, not a project
        return _open_the_app(argv[0], open_app)
    project = Path(argv[0]) if argv else None
    if project is not None and not project.exists():
        if project.suffix != ".attune":
            raise UsageError(f"attune: unknown subcommand {argv[0]!r} (see attune --help)")
        raise UsageError(f"{project}: no such project file")
    if project is not None:
        check_location(project)  # a clear line now rather than a failing window later
    return _open_the_app(project, open_app)


def _open_the_app(project: Path | str | None, open_app: AppOpener | None) -> int:
    if open_app is None:
        raise UsageError(
            "attune: the core alone has no window; start the app with `attune` or "
            "`python main.py` (subcommands: attune --help)"
        )
    try:
        return int(open_app(project) or 0)
    except ImportError as exc:  # the app's modules or Qt's libraries are missing
        raise UsageError(f"attune: cannot start the app: {exc}") from exc


def main(argv: Sequence[str] | None = None, open_app: AppOpener | None = None) -> int:
    """Run ``attune`` with ``argv`` (default: the process's arguments); returns the exit status.

    ``open_app(project_or_None) -> int`` starts the window; the ``ui`` layer passes it in (the
    core never imports the interface), so without it only the subcommands are available.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        if not args or (args[0] not in SUBCOMMANDS and not args[0].startswith("-")):
            return _run_app(args, open_app)
        if args[0] in PLUGINS:
            return _run_plugin(args[0], args[1:])
        namespace = parser.parse_args(args)
        if getattr(namespace, "handler", None) is None:
            parser.print_help()
            return 2
        return int(namespace.handler(namespace))
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except UsageError as exc:
        _out(_one_line(exc), sys.stderr)
        return 2
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _out(f"attune: {where}{exc.strerror or exc}", sys.stderr)
        return 2
    except KeyboardInterrupt:
        _out("attune: interrupted", sys.stderr)
        return 130
    except Exception as exc:
        if not isinstance(exc, _user_errors()):
            raise
        _out(_one_line(exc), sys.stderr)
        return 2


#: The errors that mean bad input, not a bug: module -> class. They are looked up only once
#: raised, so that ``attune --help`` does not import the project's modules.
_USER_ERRORS = (
    ("coder.project", "ProjectError"),
    ("coder.scheme", "SchemeError"),
    ("coder.store.base", "StoreError"),
)


def _user_errors() -> tuple[type[Exception], ...]:
    """The user-error classes of the modules loaded so far (one that raised is loaded)."""
    found: list[type[Exception]] = [UsageError]
    for module, name in _USER_ERRORS:
        loaded = sys.modules.get(module)
        if loaded is not None:
            found.append(getattr(loaded, name))
    return tuple(found)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if text.startswith("attune") else f"attune: {text}"
