"""The JSON lines spoken between the benchmark and its workers (bench/worker.py): one command
per line on the worker's stdin, one reply per line on its stdout. Pure functions, so that the
rules are tested without a worker."""

import json

# Each command and the arguments it requires.
COMMANDS = {
    "hello": (),  # -> {"code", "django", "pages": [[key, label, kind, url], ...]}
    "time": ("page", "n"),  # -> {"ms": [n timings]}
    "detail": ("page", "repeat"),  # -> queries, all SQL and main SQL of one request
    "session": ("username",),  # -> {"cookie": "sessionid=..."} for a real browser or wrk
    "urls": (),  # -> {"urls": [[key, label, path, user], ...]}: the pages weighed
    "quit": (),
}


class ProtocolError(ValueError):
    pass


def command(name, **arguments):
    """One command as the line sent to a worker."""
    missing = [a for a in COMMANDS.get(name, ()) if a not in arguments]
    if name not in COMMANDS or missing:
        raise ProtocolError(f"bad command {name!r} (missing {missing})")
    return json.dumps({"command": name, **arguments}, sort_keys=True) + "\n"


def parse_command(line):
    """A line read by a worker: the command's name and its arguments."""
    try:
        message = json.loads(line)
    except json.JSONDecodeError as error:
        raise ProtocolError(f"not JSON: {line[:80]!r}") from error
    if not isinstance(message, dict):
        raise ProtocolError("a command is a JSON object")
    name = message.pop("command", None)
    if name not in COMMANDS:
        raise ProtocolError(f"unknown command {name!r}")
    missing = [a for a in COMMANDS[name] if a not in message]
    if missing:
        raise ProtocolError(f"{name}: missing {', '.join(missing)}")
    if "n" in message and not (isinstance(message["n"], int) and message["n"] > 0):
        raise ProtocolError(f"{name}: n must be a positive integer")
    return name, message


def reply(**fields):
    return json.dumps({"ok": True, **fields}, sort_keys=True) + "\n"


def failure(message):
    return json.dumps({"ok": False, "error": message}) + "\n"


def parse_reply(line):
    """A worker's reply: its fields, or ProtocolError with the worker's own message."""
    if not line:
        raise ProtocolError("the worker ended without replying")
    try:
        message = json.loads(line)
    except json.JSONDecodeError as error:
        raise ProtocolError(f"not JSON: {line[:200]!r}") from error
    if not isinstance(message, dict) or "ok" not in message:
        raise ProtocolError(f"not a reply: {line[:200]!r}")
    if not message.pop("ok"):
        raise ProtocolError(f"the worker failed: {message.get('error')}")
    return message
