"""What a variable may be called: an identifier that no shell, tool or script of ours owns.

A name is a letter or ``_`` followed by letters, digits and ``_`` (ASCII), at most
:data:`MAX_NAME` characters: the same word is a POSIX shell variable in a copied
curl script (``${name}``) and a key of ``os.environ`` in copied Python code.

Names are case-sensitive (``{{Model}}`` is not ``{{model}}``), but two variables of
one service may not differ in case only: Windows' Credential Locker compares its
keys case-insensitively (a secret's key holds its name), and zsh ties ``path`` to
``PATH``.

Refused, because a copied script would not get the user's value (the shell or a
tool sets or reads it for its own purpose, or the user's shell breaks when it is
exported) -- :func:`name_problem` says which:

* ``TOKEN`` and ``BASE_URL``: the copied curl script's own variables;
* names special to sh, bash or zsh (``PATH``, ``IFS``, ``RANDOM``, zsh's ``path``,
  ``status``, ``history``, ``options`` …, and every ``BASH…``/``ZSH…`` name);
* names curl, httpx or Python read from the environment (proxies, TLS files,
  ``SSLKEYLOGFILE``, ``CURL…``, ``SSL…``, ``PYTHON…``);
* names a login environment nearly always holds (``HOME``, ``USER``, ``LANG``,
  ``TZ`` …, ``LC_…``, ``XDG_…``, ``SSH_…``): a forgotten ``export`` would
  silently send that value instead.

The list cannot know every environment; a script's ``${name?}`` guard stops it
when a variable is not set at all.
"""

from __future__ import annotations

import re
from typing import Final

MAX_NAME: Final = 64
"""Longest variable name, characters."""

NAME_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""A variable name (use ``fullmatch``); :func:`name_problem` adds the length and reserved names."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SCRIPT_NAMES: Final = frozenset({"TOKEN", "BASE_URL"})
"""The copied curl script's own variables."""

SHELL_NAMES: Final = _words(
    """
    _ ENV IFS PATH CDPATH HOME PWD OLDPWD PPID LINENO OPTIND OPTARG OPTERR PS0 PS1 PS2
    PS3 PS4 MAIL MAILCHECK MAILPATH FCEDIT HISTFILE HISTSIZE HISTFILESIZE HISTCMD
    HISTCONTROL HISTIGNORE HISTTIMEFORMAT HOSTFILE HOSTTYPE HOSTNAME MACHTYPE OSTYPE
    SHELL SHELLOPTS SHLVL COLUMNS LINES RANDOM SRANDOM SECONDS EPOCHREALTIME
    EPOCHSECONDS UID EUID GID EGID GROUPS FUNCNAME FUNCNEST GLOBIGNORE GLOBSORT
    DIRSTACK PIPESTATUS IGNOREEOF INPUTRC INSIDE_EMACS MAPFILE POSIXLY_CORRECT
    PROMPT_COMMAND PROMPT_DIRTRIM TIMEFORMAT TMOUT CHILD_MAX EXECIGNORE auto_resume
    argv ARGC status pipestatus path cdpath fpath FPATH mailpath manpath MANPATH
    module_path MODULE_PATH psvar PSVAR fignore FIGNORE watch WATCH WATCHFMT
    histchars HISTCHARS signals options parameters commands functions functions_source
    dis_functions dis_functions_source builtins dis_builtins reswords dis_reswords
    aliases dis_aliases galiases dis_galiases saliases dis_saliases history
    historywords jobdirs jobtexts jobstates modules nameddirs userdirs usergroups
    funcstack funcfiletrace funcsourcetrace patchars dis_patchars zsh_eval_context
    zsh_scheduled_events terminfo termcap errnos sysparams epochtime langinfo mapfile
    widgets keymaps region_highlight killring ERRNO TTY TTYIDLE HOST USERNAME VENDOR
    CPUTYPE KEYBOARD_HACK LOGCHECK NULLCMD READNULLCMD POSTEDIT PROMPT PROMPT2 PROMPT3
    PROMPT4 RPROMPT RPROMPT2 RPS1 RPS2 SPROMPT TRY_BLOCK_ERROR TRY_BLOCK_INTERRUPT
    WORDCHARS ZDOTDIR SAVEHIST DIRSTACKSIZE KEYTIMEOUT LISTMAX REPORTTIME REPORTMEMORY
    TMPPREFIX TIMEFMT TERMINFO TERMINFO_DIRS BAUD BUFFER CURSOR LBUFFER RBUFFER
    PREBUFFER WIDGET LASTWIDGET KEYS NUMERIC MARK HISTNO CONTEXT PENDING
    """
)
"""Names sh, bash or zsh set, tie to something else, or refuse to assign."""

TOOL_NAMES: Final = _words(
    """
    http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
    ftp_proxy FTP_PROXY socks_proxy SOCKS_PROXY REQUESTS_CA_BUNDLE NETRC SSLKEYLOGFILE
    """
)
"""Names curl or httpx read from the environment (proxies, TLS, credentials)."""

ENVIRONMENT_NAMES: Final = _words(
    """
    USER LOGNAME LANG LANGUAGE TZ TERM DISPLAY WAYLAND_DISPLAY EDITOR VISUAL PAGER
    TMPDIR TEMP TMP COLORTERM TERM_PROGRAM OS COMPUTERNAME APPDATA USERPROFILE
    """
)
"""Names a login environment (Linux, macOS, Git Bash on Windows) nearly always holds."""

RESERVED_PREFIXES: Final = (
    ("BASH", "is special to bash"),
    ("ZSH", "is special to zsh"),
    ("ZLE_", "is special to zsh"),
    ("COMP_", "is special to bash"),
    ("READLINE_", "is special to bash"),
    ("CURL", "is read by curl"),
    ("SSL", "is read by curl and httpx (TLS settings)"),
    ("PYTHON", "is read by Python"),
    ("LC_", "is a locale setting of the environment"),
    ("XDG_", "is set by the desktop environment"),
    ("SSH_", "is set by ssh"),
    ("LD_", "is read by the system's program loader"),
    ("DYLD_", "is read by the macOS program loader"),
)
"""Name prefixes (case-sensitive) and why they are refused."""


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a variable's name (a sentence), or None when it can."""
    if not name:
        return "A variable needs a name"
    if len(name) > MAX_NAME:
        return (
            f"Variable name {name[:20]}… is too long ({len(name)} characters, at most {MAX_NAME})"
        )
    if not NAME_RE.fullmatch(name):
        return (
            f"Variable name {name!r} is not allowed: use letters A-Z, a-z, digits and _, "
            "not starting with a digit (it becomes a shell and Python variable)"
        )
    why = _reserved(name)
    if why is not None:
        return f"Variable name {name!r} {why}: choose another (e.g. my_{name.lower()})"
    return None


def _reserved(name: str) -> str | None:
    if name in SCRIPT_NAMES:
        return "is used by the copied curl script itself"
    if name in SHELL_NAMES:
        return "is special to the shell (sh, bash or zsh)"
    if name in TOOL_NAMES:
        return "is read by curl or httpx from the environment"
    if name in ENVIRONMENT_NAMES:
        return "is nearly always set in the environment already"
    for prefix, why in RESERVED_PREFIXES:
        if name.startswith(prefix):
            return why
    return None
