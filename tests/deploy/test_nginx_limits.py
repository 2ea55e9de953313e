"""The nginx template bounds what a connection may cost: header, body, idle and send timeouts."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_the_template_sets_header_body_idle_and_send_timeouts():
    text = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
    http = text[text.index("http {") :]
    settings = dict(re.findall(r"^\s*(client_header_timeout|client_body_timeout|keepalive_timeout|send_timeout|"
                               r"reset_timedout_connection)\s+(\S+);", http, re.M))  # fmt: skip
    assert settings == {
        "client_header_timeout": "10s",
        "client_body_timeout": "30s",
        "keepalive_timeout": "15s",
        "send_timeout": "60s",
        "reset_timedout_connection": "on",
    }
