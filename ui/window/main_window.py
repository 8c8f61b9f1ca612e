"""The coding workstation: the video, the coding and rating panels, the timeline and the event
table around one open coding pass.

The window holds no study data. It opens a :class:`~coder.project.Project`, starts or resumes
the coder's :class:`~coder.coding.session.Session` over one observation, and builds the views on a
:class:`~ui.window.session_bridge.SessionBridge`; keys become session commands in
:class:`~ui.window.coding_keys.CodingKeys`. Every question to the user goes through a
:class:`~ui.dialogs.prompts.Prompts` object, so tests answer without modal dialogs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from coder.coding.changes import Change
from coder.coding.session import Session
from coder.model import CodingStatus, Observation
from coder.project import Project
from coder.scheme import Scheme
from ui.dialogs.preferences import PreferencesDialog
from ui.dialogs.prompts import DialogPrompts, Prompts
from ui.dialogs.shortcut_sheet import ShortcutSheet
from ui.events.table import EventTable
from ui.jobs import JobRunner
from ui.overlays.notice import Notice
from ui.panels.coding_panel import CodingPanel
from ui.panels.rating_panel import RatingPanel
from ui.player.media import needs_preparing, prepare_videos
from ui.player.player import Player
from ui.settings import AppSettings, Place
from ui.timeline.audio_strip import AudioStrip
from ui.timeline.timeline import Timeline
from ui.window.adding import VideoAdder
from ui.window.coding_keys import CodingKeys
from ui.window.lab_tools import LabTools
from ui.window.layout import arrange, make_docks, placeholder, size_docks
from ui.window.menus import Menus, build_menus
from ui.window.modifier_flow import PAUSE_FOR_MODIFIERS, ModifierFlow
from ui.window.project_flow import (
    OPEN_ERRORS,
    as_location,
    ask_server_address,
    naming_message,
    observation_rows,
    read_only_text,
    relink_missing,
    start_folder,
)
from ui.window.qsort_window import QSortDoor
from ui.window.save_watch import SaveWatch
from ui.window.server_watch import SharedWatch
from ui.window.session_bridge import SessionBridge
from ui.window.sound import SoundView, with_strip
from ui.window.status import StatusPanel
from ui.window.viewing import Viewing

TITLE = "Attune"


class MainWindow(QMainWindow):
    """The main window; see the module notes."""

    def __init__(
        self,
        settings: AppSettings,
        *,
        prompts: Prompts | None = None,
        audio: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.settings = settings
        self.prompts: Prompts = prompts if prompts is not None else DialogPrompts(self)
        self.jobs = JobRunner(self, lambda title, text: self.prompts.error(title, text))
        self.project: Project | None = None
        self.observation: Observation | None = None
        self.session: Session | None = None
        self.bridge: SessionBridge | None = None
        self.event_table: EventTable | None = None
        self.timeline: Timeline | None = None
        self.coding_panel: CodingPanel | None = None
        self.rating_panel: RatingPanel | None = None
        self.audio_strip: AudioStrip | None = None
        self.sound: SoundView | None = None
        self._sheet: ShortcutSheet | None = None
        self._initials = settings.coder_initials.upper()
        self._warned: set[str] = set()  # schemes whose key clashes were shown already

        self.player = Player(self, audio=audio)
        self.player.setObjectName("player")
        self.setCentralWidget(self.player)
        self.docks: dict[str, QDockWidget] = make_docks(self)
        self.status = StatusPanel(self.statusBar())
        self.notice = Notice(self.player)
        self.saves = SaveWatch(self, self.status, lambda: self.prompts)
        self.keys = CodingKeys(
            self,
            self,
            self.refuse,
            self._confirm,
            self.show_shortcut_sheet,
            keymap=settings.keymap,
            ask_text=lambda title, label, text: self.prompts.ask_text(title, label, text),
        )
        self.keys.confirm_stop_all = settings.flag("coding/confirm_stop_all")
        self.modifiers = ModifierFlow(
            self.player, self.refuse, lambda: self.settings.flag(PAUSE_FOR_MODIFIERS)
        )
        self.player.apply_keymap(settings.keymap)
        self.tools = LabTools(self)
        self.adder = VideoAdder(self)
        self.shared = SharedWatch(self)
        self.qsort = QSortDoor(self)
        self.viewing = Viewing(self)
        self.menus: Menus = build_menus(
            self, self._handlers(), self.player.transport_actions, self.keys, self.docks.values()
        )
        self.viewing.bind_toggle(self.menus.commands["clock_time"])
        arrange(self, self.docks)
        self._default_state = self.saveState()
        self._sized = self._restore_layout()
        self.menus.show_recent(self.settings.recent_projects, self.open_project)
        self._place_timer = QTimer(self)
        self._place_timer.setSingleShot(True)
        self._place_timer.setInterval(1500)
        self._place_timer.timeout.connect(self.save_place)
        self.player.frameChanged.connect(self._on_frame)
        self.player.errorOccurred.connect(self.status.error)
        self.player.playingChanged.connect(lambda playing: playing or self.save_place())
        self._show_state()

    def refuse(self, text: str) -> None:
        """A refused key or edit: in the status bar, and over the video where the coder looks."""
        self.status.error(text)
        self.notice.show_text(text)

    # -- layout -----------------------------------------------------------------------------

    def _restore_layout(self) -> bool:
        geometry, state = self.settings.window_layout()
        if geometry is not None:
            self.restoreGeometry(geometry)
        return state is not None and self.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            QTimer.singleShot(0, lambda: size_docks(self, self.docks))

    def reset_layout(self) -> None:
        """Back to the layout Attune ships with."""
        self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        size_docks(self, self.docks)

    def save_layout(self) -> None:
        self.settings.set_window_layout(self.saveGeometry(), self.saveState())

    # -- projects ---------------------------------------------------------------------------

    def open_project(self, path: str | Path) -> bool:
        """Open the project at ``path`` (a file, or a lab server's address) where this user
        left it; False (and a dialog) if not."""
        location = as_location(path)
        try:
            project = Project.open(location)
        except OPEN_ERRORS as exc:
            self.prompts.error("Cannot open the project", naming_message(exc, location))
            if isinstance(location, Path) and not location.exists():
                self.settings.remove_recent(location)
                self.menus.show_recent(self.settings.recent_projects, self.open_project)
            return False
        self.close_project()
        self.project = project
        self.saves.watch(project)
        if project.read_only:
            self.prompts.error("Opened for reading only", read_only_text(project))
        self.settings.add_recent(project.location)  # a server's address without a password
        self.menus.show_recent(self.settings.recent_projects, self.open_project)
        self.menus.blind.setChecked(project.blind)
        self.shared.watch(project)
        try:
            scheme = project.scheme
        except OPEN_ERRORS as exc:
            self.prompts.error(
                "Cannot read the project's scheme", naming_message(exc, project.location)
            )
            return True
        self._install_keys(scheme)
        self._show_state()
        if not self._initials and not self.switch_coder():
            return True
        self._open_where_left()
        return True

    def _open_where_left(self) -> None:
        project = self.project
        assert project is not None
        observations = {o.id: o for o in project.observations}
        if not observations:
            self.status.note("This project has no observations yet: File → Add videos…")
            return
        place = self.settings.place(project.location, self._initials)
        if place is not None and place.observation_id in observations:
            self.open_observation(place.observation_id, frame=place.frame)
        elif len(observations) == 1:
            self.open_observation(next(iter(observations)))
        else:
            self.choose_observation()

    def close_project(self) -> None:
        """Close the open project (everything is already on disk)."""
        self.save_place()
        self.tools.close_agreement()
        self.shared.unwatch()
        self._detach()
        self.player.close_media()
        self.saves.unwatch()
        if self.project is not None:
            self.project.close()
        self.project = None
        self.observation = None
        self._install_keys(None)
        self._show_state()

    def new_project(self) -> None:
        answer = self.prompts.new_project(self._start_folder())
        if answer is None:
            return
        try:
            Project.create(answer.path, answer.scheme).close()
        except OPEN_ERRORS as exc:
            self.prompts.error("Cannot create the project", naming_message(exc, answer.path))
            return
        if self.open_project(answer.path):
            self.adder.add_videos()

    def reload_shared(self, tables: set[str]) -> None:
        """Another coder changed shared records on the lab server: show them as they are."""
        if self.project is None:
            return
        if "meta" in tables:
            self.menus.blind.setChecked(self.project.blind)
        if "scheme" in tables and self.session is None:
            self._install_keys(self._scheme())
        if tables & {"observation", "media"} and self.observation is not None:
            self.observation = self.project.observation(self.observation.id)
            self._show_state()

    def ask_open_server(self) -> None:
        """File → Open lab server…: a project on a PostgreSQL server, by its address."""
        address = ask_server_address(self.prompts, self.settings.recent_projects)
        if address is not None:
            self.open_project(address)

    def ask_open_project(self) -> None:
        path = self.prompts.open_project(self._start_folder())
        if path is not None:
            self.open_project(path)

    def switch_coder(self) -> bool:
        """Ask who is coding; reopens the observation under the new initials."""
        known = self.project.coders if self.project is not None else []
        answer = self.prompts.who_are_you(known, self._initials or self.settings.coder_initials)
        if answer is None or not answer.initials:
            self.status.note("Choose who is coding (File → Switch coder) to start.")
            return False
        self.save_place()
        self._initials = answer.initials.upper()
        self.settings.coder_initials = self._initials
        if answer.name:
            self.settings.coder_name = answer.name
            if self.project is not None and not self.project.read_only:
                try:
                    self.project.add_coder(self._initials, answer.name)
                except OPEN_ERRORS as exc:
                    self.prompts.error("Not saved", naming_message(exc, self.project.path))
        if self.project is not None and self.observation is not None:
            self.open_observation(self.observation.id)
        self._show_state()
        return True

    @property
    def coder(self) -> str:
        return self._initials

    def choose_observation(self) -> None:
        if self.project is None:
            self.status.error("Open a project first.")
            return
        if not self._initials and not self.switch_coder():
            return
        blind = self.project.blind
        rows = observation_rows(self.project, self._initials, blind)
        current = self.observation.id if self.observation else None
        chosen = self.prompts.pick_observation(rows, current, blind)
        if chosen is not None:
            self.open_observation(chosen)

    def open_observation(self, observation_id: int, frame: int = 0) -> bool:
        """Start or resume this coder's pass over an observation and show its videos."""
        project = self.project
        if project is None or not self._initials:
            return False
        self.save_place()
        try:
            stored = project.observation(observation_id)
            observation = relink_missing(project, stored, self.prompts)
            session = project.start_coding(observation, self._initials)
        except OPEN_ERRORS as exc:
            self.prompts.error("Cannot open the observation", naming_message(exc, project.path))
            return False
        self._detach()
        self.observation = observation
        self._attach(session)
        paths = [project.media_path(m) for m in observation.media]
        present = [p for p in paths if p.is_file()]
        todo = needs_preparing(present)
        if todo and paths and paths[0].is_file():  # a long file's first reading: in the background
            self.player.close_media()  # no earlier video's frame may be stamped meanwhile
            self.player.set_idle_message(f"Reading {todo[0].name} once, to find every frame…")
            self.status.note("Reading the video once, to find every frame; coding opens after it.")

            def read(_: object) -> None:
                if self.observation is observation:  # not closed or replaced meanwhile
                    self.viewing.show_videos(stored, observation, session, paths, frame)

            self.jobs.start(
                f"Reading {todo[0].name}", lambda progress: prepare_videos(todo, progress), read
            )
            return True
        self.viewing.show_videos(stored, observation, session, paths, frame)
        return True

    # -- the coding pass ---------------------------------------------------------------------

    def _attach(self, session: Session) -> None:
        self.session = session
        bridge = self.bridge = SessionBridge(session, self)
        self.event_table = EventTable(bridge)
        self.event_table.setObjectName("event_table")
        self.timeline = Timeline(bridge)
        self.timeline.setObjectName("timeline")
        self.audio_strip = AudioStrip()
        self.audio_strip.setObjectName("audio_strip")
        self.audio_strip.follow(self.timeline, session.timebase)
        self.coding_panel = CodingPanel(bridge)
        self.coding_panel.setObjectName("coding_panel")
        self.rating_panel = RatingPanel(bridge)
        self.rating_panel.setObjectName("rating_panel")
        for name, widget in (
            ("events", self.event_table),
            ("timeline", with_strip(self.timeline, self.audio_strip)),
            ("coding", self.coding_panel),
            ("ratings", self.rating_panel),
        ):
            old = self.docks[name].widget()
            self.docks[name].setWidget(widget)
            if old is not None:
                old.deleteLater()
        self.timeline.set_frame_count(session.timebase.frame_count)
        self.event_table.eventActivated.connect(self.keys.jump_to)
        self.timeline.seekRequested.connect(self.player.seek)
        self.timeline.eventClicked.connect(self.event_table.select_event)
        self.event_table.selectionChanged.connect(self.timeline.set_selected_event)
        self.coding_panel.behaviourActivated.connect(self.keys.toggle)
        for view in (self.event_table, self.timeline, self.rating_panel):
            view.errorOccurred.connect(self.refuse)
        bridge.changed.connect(self._on_change)
        self.modifiers.attach(bridge)
        if self.project is not None and self.observation is not None:
            self.sound = SoundView(
                self.audio_strip,
                self.jobs,
                self.project,
                self.observation,
                session.timebase,
                self.player.seek,
            )
        self._install_keys(session.scheme)  # a resumed pass may keep an older scheme version
        if self.player.current_frame >= 0:
            self._on_frame(self.player.current_frame)
        self._show_state()
        self.status.show_opened(session)

    def _detach(self) -> None:
        self.qsort.close()
        self.viewing.forget()
        self.modifiers.detach()
        if self.sound is not None:
            self.sound.close()
        self.sound = None
        self.audio_strip = None
        if self.bridge is not None:
            self.bridge.detach()
            self.bridge.deleteLater()
        self.bridge = None
        self.session = None
        self.event_table = self.timeline = None
        self.coding_panel = self.rating_panel = None
        for dock in self.docks.values():
            old = dock.widget()
            dock.setWidget(placeholder(self))
            if old is not None:
                old.deleteLater()
        self._show_state()

    def _on_change(self, change: object) -> None:
        if self.session is None:
            return
        self.status.show_saved(self.session, change if isinstance(change, Change) else None)
        self._show_undo()
        if isinstance(change, Change) and change.status:
            self._show_state()

    def _on_frame(self, frame: int) -> None:
        self.keys.frame_shown(frame)
        if self.timeline is not None:
            self.timeline.set_frame(frame)
        if self.rating_panel is not None and frame >= 0:
            self.rating_panel.set_position_us(self.player.current_time_us)
        self._place_timer.start()

    def _show_undo(self) -> None:
        session = self.session
        if session is None:
            self.menus.show_undo("", "")
        else:
            self.menus.show_undo(session.undo_label, session.redo_label)

    def _show_state(self) -> None:
        """Title, status bar and menu states after the project, coder or pass changed."""
        title = TITLE
        if self.project is not None:
            title = f"{self.project.path.name} — {TITLE}"
            if self.project.read_only:
                title = f"{self.project.path.name} (read-only) — {TITLE}"
        if self.observation is not None:
            title = f"{self.observation.name} · {title}"
        self.setWindowTitle(title)
        self.status.set_title(self.observation.name if self.observation else "")
        self.status.show_session(self.session)
        self._show_undo()
        done = self.session is not None and self.session.status is CodingStatus.DONE
        self.menus.enable(self.project is not None, self.session is not None, done)
        self.menus.commands["qsort"].setEnabled(self.qsort.available())
        self.tools.show_master_state()
        self.viewing.show_idle()

    def save_place(self) -> None:
        """Remember the observation and frame this coder is at in this project."""
        if self.project is None or self.observation is None or not self._initials:
            return
        frame = max(self.player.current_frame, 0)
        place = Place(self.observation.id, frame)
        self.settings.set_place(self.project.location, self._initials, place)

    # -- other commands ----------------------------------------------------------------------

    def _handlers(self) -> dict:
        return {
            "new_project": self.new_project,
            "open_project": self.ask_open_project,
            "open_server": self.ask_open_server,
            "add_videos": self.adder.add_videos,
            "add_camera_views": self.adder.add_camera_views,
            "choose_observation": self.choose_observation,
            "switch_coder": self.switch_coder,
            "close_project": self.close_project,
            "quit": self.close,
            "preferences": self.show_preferences,
            "mark_done": self.keys.mark_done,
            "reopen": self.keys.reopen,
            "blind": self._toggle_blind,
            "reset_layout": self.reset_layout,
            "import_file": self.tools.import_file,
            "export": self.tools.export,
            "plot": self.tools.plot,
            "agreement": self.tools.show_agreement,
            "qsort": self.qsort.open,
            "master": self.tools.toggle_master,
        }

    def _toggle_blind(self) -> None:
        if self.project is not None:
            self.project.set_blind(self.menus.blind.isChecked())

    def _confirm(self, title: str, text: str, ok: str = "OK") -> bool:
        return self.prompts.confirm(title, text, ok=ok)

    def _install_keys(self, scheme: Scheme | None, warn_again: bool = False) -> None:
        """Bind ``scheme``'s keys; say once per scheme which of them clash with the user's."""
        clashes = self.keys.install_scheme(scheme, self.settings.keymap)
        self.menus.show_behaviours(self.keys.behaviour_actions.values())
        self.menus.show_episodes(self.keys.episode_actions.values())
        if scheme is None or not clashes:
            return
        if scheme.content_hash in self._warned and not warn_again:
            return
        self._warned.add(scheme.content_hash)
        self.prompts.error(
            "Keys that clash",
            "These keys of the project's scheme clash with your keys, so the scheme's key "
            "does nothing (code those behaviours by clicking them, or change your keys in "
            "Edit → Preferences):\n\n" + "\n".join(clashes),
        )

    def _scheme(self) -> Scheme | None:
        """The scheme keys come from: the open pass's own, else the project's (or None)."""
        if self.session is not None:
            return self.session.scheme
        try:
            return self.project.scheme if self.project is not None else None
        except OPEN_ERRORS:
            return None

    def show_shortcut_sheet(self) -> ShortcutSheet:
        scheme = self._scheme()
        if self._sheet is not None:
            self._sheet.close()
            self._sheet.deleteLater()
        self._sheet = ShortcutSheet(self.settings.keymap, scheme, self)
        self._sheet.show()
        return self._sheet

    def preferences_dialog(self) -> PreferencesDialog:
        return PreferencesDialog(self.settings, self._scheme(), self)

    def show_preferences(self) -> None:
        dialog = self.preferences_dialog()
        if dialog.exec():
            self.apply_preferences()

    def apply_preferences(self) -> None:
        """Bind the keys and flags now stored in the settings."""
        keymap = self.settings.keymap
        self.player.apply_keymap(keymap)
        self.keys.apply_keymap(keymap)
        self.keys.confirm_stop_all = self.settings.flag("coding/confirm_stop_all")
        self.player.set_deinterlace(self.settings.flag("player/deinterlace"))
        self.viewing.apply_preferences()
        self._install_keys(self._scheme(), warn_again=True)

    def _start_folder(self) -> Path:
        current = [self.project.path] if self.project is not None else []
        return start_folder([*current, *self.settings.recent_projects])

    # -- Qt events ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.jobs.cancel_all()
        self.save_layout()
        self.close_project()
        self.settings.sync()
        super().closeEvent(event)
