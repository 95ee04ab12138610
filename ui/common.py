"""What every page shares: reading and writing the database, today's date, cached analysis,
empty states.

The pages read widgets, call these helpers and draw. The app never keeps the database open: a
rerun opens it once, read-only and for a moment, to read the content version and the regions
(:func:`database_snapshot`, in ``app.py``); everything else is cached with ``st.cache_data`` on
(database path, region, content version, today) and opens the file only on a cache miss.
Changing a filter reruns the page without recomputing; an import or undo changes the content
version and with it the cache key. So the command line can import or report while the app is
open. Writes (:func:`write`) open a short read-write session. When another program holds the
file longer than a few seconds, the page says so in Dutch and stops (:func:`stop_on_busy`).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import duckdb
import networkx as nx
import pandas as pd
import streamlit as st

from analysis import codes, compare, handovers, network, norms, stagnation
from analysis import text as markdown_text
from analysis.settings import DEFAULT_SETTINGS
from ketendata import store
from ketendata.files import exports
from ketendata.settings import TodayError, resolve_db_path, resolve_today
from ketendata.store import queries
from ui import access as access_ui
from ui.kaart import display_positions
from ui.kaart import plotly_text as plotly_text  # re-exported for the pages

__all__ = [
    "FINDING_COLOURS",
    "FINDING_LABELS",
    "PAGE_GEGEVENS",
    "PAGE_KAART",
    "PAGE_NORMEN",
    "PAGE_OVERDRACHT",
    "PAGE_OVERZICHT",
    "PAGE_STAGNATIE",
    "PAGE_VERGELIJKEN",
    "PAGE_VERANDERINGEN",
    "PAGE_ACTIES",
    "DEFAULT_REGION_ENV_VAR",
    "REGION_KEY",
    "SETTINGS",
    "DatabaseState",
    "NetworkView",
    "RegionView",
    "analysis_today",
    "chosen_region",
    "database_snapshot",
    "database_state",
    "db_path",
    "default_region",
    "escape_markdown",
    "findings_frame",
    "link_to_data_page",
    "load_comparison",
    "load_moves",
    "load_findings",
    "load_frames",
    "load_gaps",
    "load_network",
    "load_topics",
    "partner_label",
    "percent",
    "plotly_text",
    "point_to_data_page",
    "read",
    "require_region",
    "show_database_problem",
    "show_no_regions",
    "show_table",
    "spreadsheet_safe",
    "stop_on_busy",
    "write",
]

#: Session-state key (and URL query parameter) of the chosen region.
REGION_KEY = "regio"

#: The environment variable naming the region a visitor sees first (see :func:`default_region`).
DEFAULT_REGION_ENV_VAR = "KETENKAART_DEFAULT_REGION"

_log = logging.getLogger(__name__)

#: The page files, for ``st.navigation`` and ``st.page_link``.
PAGE_OVERZICHT = "pages/overview.py"
PAGE_KAART = "pages/network_map.py"
PAGE_NORMEN = "pages/norms.py"
PAGE_OVERDRACHT = "pages/handovers.py"
PAGE_STAGNATIE = "pages/stagnation.py"
PAGE_VERGELIJKEN = "pages/comparison.py"
PAGE_GEGEVENS = "pages/data.py"
PAGE_VERANDERINGEN = "pages/changes.py"
PAGE_ACTIES = "pages/actions.py"

#: Dutch words for the judgement statuses of the norm matrix.
FINDING_LABELS: dict[str, str] = {"met": "Voldaan", "partial": "Deels", "missing": "Ontbreekt"}

#: Colours of the judgement, each with white text of contrast 4.5:1 or more; the grid adds a
#: mark (✓ ± ✗), so colour is never the only cue (red and green look alike to many).
FINDING_COLOURS: dict[str, str] = {"met": "#2e7d32", "partial": "#a84f00", "missing": "#c62828"}

SETTINGS = DEFAULT_SETTINGS


# --- Date, database ---------------------------------------------------------------------------


def analysis_today() -> date:
    """Today's date for the analysis, by the one rule of app and commands (``KETENKAART_TODAY``
    when set, else the machine's date); an unreadable value is a warning, not a broken page."""
    try:
        return resolve_today()
    except TodayError as error:
        st.warning(f"{escape_markdown(error)}. De analyse gebruikt de datum van vandaag.")
        return date.today()


def db_path() -> str:
    """The database file of this app (``KETENKAART_DB``, else ``data/ketenkaart.duckdb``)."""
    return str(resolve_db_path())


_P = ParamSpec("_P")
_T = TypeVar("_T")

#: Session-state key of this run's :class:`DatabaseState` (set by ``app.py`` for one run).
_STATE_KEY = "_ketenkaart_database"


def show_database_problem(error: store.DatabaseBusyError | store.DatabaseError) -> None:
    """A database problem in Dutch, with what to do."""
    if isinstance(error, store.DatabaseBusyError):
        st.error(
            f"{escape_markdown(error)} Herlaad deze pagina over een paar seconden (F5); er is "
            "niets veranderd.",
            icon=":material/hourglass_top:",
        )
    else:
        st.error(escape_markdown(error), icon=":material/error:")


def stop_on_busy(function: Callable[_P, _T]) -> Callable[_P, _T]:
    """Run ``function``; on a database problem show it in Dutch and stop the page.

    Used around every cached loader: the message is shown outside the cache (``st.cache_data``
    would replay it) and an error is never cached, so the next rerun tries again.
    """

    @wraps(function)
    def shown(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return function(*args, **kwargs)
        except (store.DatabaseBusyError, store.DatabaseError) as error:
            show_database_problem(error)
            st.stop()
            raise  # not reached: st.stop() ends the run

    return shown


@dataclass(frozen=True)
class DatabaseState:
    """What a rerun knows about the database: its path, content version, regions (by name)
    and the region a visitor sees first (:func:`default_region`)."""

    path: str
    version: str
    regions: tuple[str, ...]
    default_region: str | None = None


@st.cache_data(show_spinner=False, max_entries=8)
def _regions(
    path: str, version: str, configured: str | None, _con: duckdb.DuckDBPyConnection
) -> tuple[tuple[str, ...], str | None]:
    # ``_con`` is not part of the key: on a miss the snapshot's own connection answers.
    names = queries.list_regions(_con)
    # A region's id is given when it is created (the next number) and never changes.
    created = {name: queries.find_region_row(_con, name)[0] for name in names}
    default = default_region(names, created, configured)
    if (
        configured
        and default is not None
        and codes.normalize_name(configured) != (codes.normalize_name(default))
    ):
        _log.warning(
            "%s=%r noemt geen regio in de database; standaardregio is de eerst aangemaakte (%r)",
            DEFAULT_REGION_ENV_VAR,
            configured,
            default,
        )
    return tuple(names), default


def default_region(
    regions: Sequence[str], created: dict[str, int], configured: str | None = None
) -> str | None:
    """The region a visitor sees before choosing one: the configured one
    (``KETENKAART_DEFAULT_REGION``) when it names a region, else the region that has been in
    the database longest (``created``: region -> its id, given in order of creation).

    Never the first by name: anyone who may upload can name a new region "AAA ...", but no
    upload can make a region older than the ones already there.

    >>> default_region(["AAA Rood", "Noord"], {"Noord": 1, "AAA Rood": 2})
    'Noord'
    >>> default_region(["AAA Rood", "Noord"], {"Noord": 1, "AAA Rood": 2}, configured="aaa rood")
    'AAA Rood'
    >>> default_region([], {}) is None
    True
    """
    if configured and configured.strip():
        key = codes.normalize_name(configured)
        for name in regions:
            if codes.normalize_name(name) == key:
                return name
    # Regions without an id (not expected) come last, in the order given (alphabetical).
    order = {
        name: (created.get(name, float("inf")), position) for position, name in enumerate(regions)
    }
    return min(regions, key=order.__getitem__, default=None)


def _configured_region() -> str | None:
    return os.environ.get(DEFAULT_REGION_ENV_VAR) or None


@stop_on_busy
def _read_state() -> DatabaseState:
    path = db_path()
    with store.reading(path) as con:  # creates and migrates a fresh database on first use
        version = queries.content_version(con)
        regions, default = _regions(path, version, _configured_region(), con)
    regions = access_ui.readable_regions(regions)  # access.md: only the user's own regions
    default = default if default in regions else None
    return DatabaseState(path=path, version=version, regions=regions, default_region=default)


def database_state() -> DatabaseState:
    """The database as this run sees it: read once per rerun, by :func:`database_snapshot`.

    Outside a snapshot (a page run on its own, a fragment) it is read now.
    """
    state = st.session_state.get(_STATE_KEY)
    return state if isinstance(state, DatabaseState) else _read_state()


@contextmanager
def database_snapshot() -> Iterator[DatabaseState]:
    """One short read of the database for the whole run of ``app.py`` (sidebar and page).

    The snapshot lives only while the block runs, so a later run always reads afresh.
    """
    st.session_state[_STATE_KEY] = state = _read_state()
    try:
        yield state
    finally:
        st.session_state.pop(_STATE_KEY, None)


def read(query: Callable[..., _T], *args: Any) -> _T:
    """``query(con, *args)`` for the current content version: a function of
    :mod:`ketendata.store.queries` whose answer changes only with the content version (cached:
    a rerun reads nothing; a miss opens one short read-only session)."""
    state = database_state()
    return _read_cached(state.path, state.version, _query_name(query), args, query)


def _query_name(query: Callable[..., Any]) -> str:
    return f"{query.__module__}.{query.__qualname__}"


@stop_on_busy
@st.cache_data(show_spinner=False, max_entries=64)
def _read_cached(path: str, version: str, name: str, args: tuple, _query: Callable[..., _T]) -> _T:
    with store.reading(path) as con:
        return _query(con, *args)


def write(action: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """``action(con, *args, **kwargs)`` in one short read-write session (an import, an undo,
    the demo, a region's matrix).

    Raises:
        DatabaseBusyError: another program held the file longer than a few seconds; nothing
            was written. The page shows it (with the other database errors) and goes on.
    """
    st.session_state.pop(_STATE_KEY, None)  # what this run read before is out of date now
    with store.writing(db_path()) as con:
        return action(con, *args, **kwargs)


@dataclass(frozen=True)
class RegionView:
    """What a page needs to ask for the cached analysis of the chosen region."""

    path: str
    region: str
    version: str
    today: date


def chosen_region(regions: Sequence[str]) -> str | None:
    """The region picked in the sidebar (this session's last choice, or the link's ``regio``);
    when none (or an unknown one) is picked, the default region (:func:`default_region`).

    >>> chosen_region([]) is None
    True
    """
    if not regions:
        return None
    picked = st.session_state.get(REGION_KEY)
    if picked in regions:
        return picked
    default = database_state().default_region
    return default if default in regions else regions[0]


def require_region() -> RegionView:
    """The chosen region; without any region show how to load data and stop the page."""
    state = database_state()
    region = chosen_region(list(state.regions))
    if region is None:
        show_no_regions()
        st.stop()
    return RegionView(
        path=state.path,
        region=region,
        version=state.version,
        today=analysis_today(),
    )


def show_no_regions() -> None:
    """The empty state of a fresh database."""
    st.info(
        "Er staan nog geen regio's in de database. Laad de fictieve demoregio's met de knop "
        "**Demo laden** op de pagina Gegevens (of met `python -m ketendata demo`), of upload "
        "daar een inventarisatie van ketenafspraken met **Nieuwe regio's aanmaken** aangevinkt."
    )
    link_to_data_page()


def point_to_data_page(message: str) -> None:
    """An empty state: what is missing (Dutch) and a link to the Gegevens page to upload it."""
    st.info(message)
    link_to_data_page()


def link_to_data_page() -> None:
    """A link to the Gegevens page."""
    st.page_link(PAGE_GEGEVENS, label="Naar Gegevens", icon=":material/upload_file:")


# --- Cached analysis --------------------------------------------------------------------------
# ``version`` and ``today`` are part of every cache key, even where the body does not use them.


@stop_on_busy
@st.cache_data(show_spinner=False, max_entries=32)
def load_frames(path: str, region: str, version: str) -> queries.RegionFrames:
    """The current frames of a region (on a cache miss one short read-only session)."""
    with store.reading(path) as con:
        return queries.region_frames(con, region)


@dataclass(frozen=True)
class NetworkView:
    """The network of a region with its measures and a fixed layout."""

    graph: nx.Graph
    measures: network.NetworkMeasures
    positions: dict[str, tuple[float, float]]


@stop_on_busy
@st.cache_data(show_spinner=False, max_entries=32)
def load_network(path: str, region: str, version: str, today: date) -> NetworkView:
    """The network, its measures and its (deterministic) sector layout: the shelters in the
    middle, every partner in its partner type's fixed sector (``analysis.network``)."""
    frames = load_frames(path, region, version)
    graph = network.build_network(frames.agreements, today)
    return NetworkView(
        graph=graph,
        measures=network.measure_network(graph, frames.matrix),
        positions=display_positions(graph),
    )


@stop_on_busy
@st.cache_data(show_spinner=False, max_entries=32)
def load_findings(path: str, region: str, version: str, today: date) -> list[norms.Finding]:
    """Every shelter judged against every requirement of the region's norm matrix."""
    frames = load_frames(path, region, version)
    return norms.judge_requirements(frames.agreements, frames.matrix, today, SETTINGS)


@stop_on_busy
@st.cache_data(show_spinner=False, max_entries=64)
def load_gaps(
    path: str, region: str, version: str, today: date, period: str | None
) -> list[handovers.Gap]:
    """The handover gaps of one period (None: the latest)."""
    frames = load_frames(path, region, version)
    if len(frames.handovers) == 0:
        return []
    return handovers.find_handover_gaps(
        frames.handovers, frames.agreements, today, SETTINGS, period=period
    )


@stop_on_busy
@st.cache_data(show_spinner=False, max_entries=64)
def load_topics(
    path: str, region: str, version: str, period: str | None
) -> list[stagnation.StagnationTopic]:
    """The stagnation topics of one survey wave (None: the latest), most severe first."""
    frames = load_frames(path, region, version)
    if len(frames.stagnation) == 0:
        return []
    return stagnation.summarise_stagnation(frames.stagnation, SETTINGS, period=period)


@stop_on_busy
@st.cache_data(show_spinner=False, max_entries=8)
def _compare_all(path: str, version: str, today: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The key figures and the moves of every region, from one read of all regions (the
    comparison page read them twice on a cold visit, 0.7 s each for 43 regions)."""
    with store.reading(path) as con:
        every_region = queries.all_region_frames(con)
    per_region = {
        name: compare.RegionInput(
            agreements=frames.agreements,
            handovers=frames.handovers,
            stagnation=frames.stagnation,
            matrix=frames.matrix,
        )
        for name, frames in every_region.items()
    }
    return compare.compare_regions(per_region, today, SETTINGS), compare.compare_moves(per_region)


def load_comparison(path: str, version: str, today: date) -> pd.DataFrame:
    """The key figures of every region side by side."""
    return _compare_all(path, version, today)[0]


def load_moves(path: str, version: str, today: date) -> pd.DataFrame:
    """Families who moved to another region, per region (issue 16; counts, not yet masked)."""
    return _compare_all(path, version, today)[1]


# --- Text -------------------------------------------------------------------------------------

#: An invisible character (WORD JOINER) that breaks what Streamlit's Markdown would still turn
#: into a link or an icon after every escape: it finds ``http://``, ``www.`` and e-mail
#: addresses in the text itself (GitHub's autolinks), where a backslash no longer counts.
_WORD_JOINER = "\u2060"
_AFTER_COLON_OR_WWW = re.compile(r"\\?:(?=\S)|(?i:\bwww)(?=\\?\.)")
_BEFORE_AT = re.compile(r"\\?@")


def escape_markdown(text: object) -> str:
    r"""User text (a name, a file name, a message holding one) that every Streamlit element
    rendering Markdown shows literally: a title, caption, message, metric help, label.

    First the memo's escaping (:func:`analysis.text.escape_markdown`): one line, control and
    bidi characters shown as ``[U+XXXX]``, Markdown that could start where the text stands
    backslashed (emphasis, links, images, headings, lists, LaTeX ``$``, Streamlit's
    ``:red[...]`` and ``:material/...:``), ``<``, ``>`` and ``&`` as entities. Then an
    invisible word joiner after ``www`` and after a ``:`` that touches the next word, and
    before every ``@``, so no address in a name becomes a link or an icon.

    >>> print(escape_markdown("<b>*A*</b> $x$"))
    &lt;b&gt;\*A\*&lt;/b&gt; \$x\$
    >>> [escape_markdown(t).count("\u2060") for t in ("http://x", "www.x.nl", "a@b.nl", "Noord")]
    [1, 1, 1, 0]
    """
    escaped = markdown_text.escape_markdown(text)
    escaped = _AFTER_COLON_OR_WWW.sub(lambda match: match.group(0) + _WORD_JOINER, escaped)
    return _BEFORE_AT.sub(lambda match: _WORD_JOINER + match.group(0), escaped)


# --- Tables -----------------------------------------------------------------------------------


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text a spreadsheet cannot run: every text cell (and column
    name) that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, return) gets a leading
    ``'``, as the app's own exports do (:func:`ketendata.files.exports.neutralise_text`).
    Numbers, dates and other cells keep their type, so the table still sorts and formats.

    >>> spreadsheet_safe(pd.DataFrame({"Naam": ["=1+1", "Politie"], "n": [-2, 3]})).to_dict("list")
    {'Naam': ["'=1+1", 'Politie'], 'n': [-2, 3]}
    """
    safe = frame.copy()
    for column in safe.columns:
        if not (
            pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column])
        ):
            continue
        values = safe[column]
        if any(isinstance(v, str) and exports.is_formula_like(v) for v in values):
            safe[column] = pd.Series(
                [exports.neutralise_text(v) if isinstance(v, str) else v for v in values],
                index=safe.index,
                dtype=values.dtype,
            )
    return safe.rename(
        columns={c: exports.neutralise_text(c) for c in safe.columns if isinstance(c, str)}
    )


def show_table(frame: pd.DataFrame, **kwargs: Any) -> None:
    """``st.dataframe`` for every table of the app: its text made spreadsheet-safe
    (:func:`spreadsheet_safe`) before it is drawn, so the table's own "Download as CSV" and a
    copy of its cells carry no live formula. Without an index unless ``hide_index`` says so.
    """
    kwargs.setdefault("hide_index", True)
    st.dataframe(spreadsheet_safe(frame), **kwargs)


def partner_label(code: str | None) -> str:
    """The Dutch label of a partner-type code; ``*`` is any partner.

    >>> partner_label("veilig_thuis"), partner_label("*")
    ('Veilig Thuis', 'Elke ketenpartner')
    """
    if code == "*":
        return "Elke ketenpartner"
    return codes.label(code, codes.PARTNER_TYPES) if code else "–"


def percent(share: float | None) -> str:
    """A share as a Dutch percentage, or ``–`` when unknown.

    >>> percent(0.755), percent(None)
    ('75,5%', '–')
    """
    if share is None or pd.isna(share):
        return "–"
    return handovers.format_percent(float(share))


def findings_frame(findings: list[norms.Finding]) -> pd.DataFrame:
    """The findings as a table with Dutch column names and labels (for display and export)."""
    return pd.DataFrame(
        {
            "Organisatie": [f.organisation for f in findings],
            "Partnertype": [partner_label(f.partner_type) for f in findings],
            "Soort afspraak": [
                codes.label(f.agreement_type, codes.AGREEMENT_TYPES) for f in findings
            ],
            "Norm": [norms.norm_text(f.norm) for f in findings],
            "Oordeel": [FINDING_LABELS.get(f.status, f.status) for f in findings],
            "Toelichting": [f.reason for f in findings],
        }
    )
