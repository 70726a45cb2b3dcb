"""The protocol stack profiles of scenarios/lib/stacks.lua, as mtcsim resolves them.

For every profile a scenario with one group using `stack = stacks.<name>` is
checked with `mtcsim check`, and the printed `devices[1].stack.*` lines are
compared with the table below: bytes added per report, answer bytes,
session exchanges (direction and bytes, in order), session_every and
per-report exchanges. A change to a profile therefore shows here and must
be made in both places, with its source. Structural facts are asserted as
well: NIDD adds nothing; SCHC < ROHC < uncompressed IPv6/UDP; resumed DTLS
handshakes are smaller than full ones; the DTLS 1.3 record costs 18 bytes
less than the DTLS 1.2 one with AES-128-CCM-8 (11 against 29 bytes, RFC
9147 / RFC 6347 and draft-ietf-iotops-security-protocol-comparison); the
OSCORE, CoAP, TLS 1.3 and DTLS 1.3 flight figures the profiles are built
from. The module file of the source tree is copied next to the scenarios,
so the test checks it and not an installed copy.
"""

import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mtc_testlib as lib  # noqa: E402

STACKS_LUA = os.path.join(lib.SOURCE_DIR, "scenarios", "lib", "stacks.lua")

IP_UDP = 40 + 8   # RFC 8200 IPv6 + RFC 768 UDP
IP_TCP = 40 + 20  # RFC 8200 IPv6 + RFC 9293 TCP without options
MAX_XCHG = 12     # entries per list (mac.h MAC_MAX_XCHG)


def U(n):
    return ("ul", n)


def D(n):
    return ("dl", n)


# One row per profile: label, bytes added to every report, answer bytes,
# session exchanges, session_every, per-report exchanges.
EXPECTED = {
    "nidd": dict(label="nidd", ul=0, answer=0, session=[], every=0, per_report=[]),
    "udp_ipv6": dict(label="udp-ipv6", ul=48, answer=0, session=[], every=0, per_report=[]),
    "udp_ipv6_rohc": dict(label="udp-ipv6-rohc", ul=3, answer=0, session=[], every=0,
                          per_report=[]),
    "udp_ipv6_schc": dict(label="udp-ipv6-schc", ul=1, answer=0, session=[], every=0,
                          per_report=[]),
    "coap_non": dict(label="coap-non", ul=64, answer=0, session=[], every=0, per_report=[]),
    "coap_con": dict(label="coap-con", ul=61, answer=56, session=[], every=0, per_report=[]),
    "coap_dtls12_full": dict(
        label="coap-con-dtls12-full", ul=90, answer=85,
        session=[U(149), D(108), U(181), D(453), U(399), D(115)], every=1, per_report=[]),
    "coap_dtls12_resumed": dict(
        label="coap-con-dtls12-resumed", ul=90, answer=85,
        session=[U(181), D(216), U(115)], every=1, per_report=[]),
    "coap_dtls13_full": dict(
        label="coap-con-dtls13-full", ul=72, answer=67,
        session=[U(227), D(157), U(265), D(495), U(302), D(120), U(77)], every=1,
        per_report=[]),
    "coap_dtls13_resumed": dict(
        label="coap-con-dtls13-resumed", ul=72, answer=67,
        session=[U(181), D(194), U(103), D(77)], every=1, per_report=[]),
    "coap_oscore": dict(label="coap-con-oscore", ul=75, answer=67, session=[], every=0,
                        per_report=[]),
    "mqtt_tls13": dict(
        label="mqtt-tls13", ul=97, answer=78,
        session=[U(64), D(64), U(60), U(222), D(454), U(293), D(60), U(103), D(78)], every=0,
        per_report=[U(60), U(76), D(76), U(60)]),
    "lwm2m_register": dict(
        label="lwm2m-register", ul=91, answer=85,
        session=[U(121), D(108), U(153), D(161), U(166), D(115), U(171), D(99)], every=1,
        per_report=[U(99), D(85)]),
    "lwm2m_update": dict(
        label="lwm2m-update", ul=91, answer=85,
        session=[U(121), D(108), U(153), D(161), U(166), D(115), U(171), D(99)], every=0,
        per_report=[U(99), D(85)]),
}

SCENARIO = """\
local stacks = require "stacks"
return {{
  name = "stack_{name}",
  duration = 3600,
  devices = {{
    {{
      name = "g",
      count = 1,
      traffic = {{ kind = "periodic", period_s = 600, payload = {{ kind = "fixed", bytes = 20 }} }},
      stack = stacks.{name},
    }},
  }},
}}
"""

# Prints the module's keys (print goes to stderr) and uses no stack.
LIST_SCENARIO = """\
local stacks = require "stacks"
local names = {}
for k in pairs(stacks) do names[#names + 1] = k end
table.sort(names)
for _, k in ipairs(names) do print("STACK " .. k) end
return {
  name = "stack_list",
  duration = 3600,
  devices = { { count = 1, traffic = { kind = "periodic", period_s = 600 } } },
}
"""


def unquote(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
        return v[1:-1]
    return v


def exchanges(values, prefix):
    """The exchange list `prefix` ("...stack.session") as [(dir, bytes)],
    from per-item lines `prefix[i].dir` / `prefix[i].bytes`."""
    out = []
    i = 1
    while True:
        d = values.get("%s[%d].dir" % (prefix, i))
        b = values.get("%s[%d].bytes" % (prefix, i))
        if d is None and b is None:
            break
        if d is None or b is None:
            raise AssertionError("%s[%d]: dir and bytes must both print" % (prefix, i))
        out.append((unquote(d), int(b)))
        i += 1
    # Nothing beyond the contiguous items (a gap would hide entries).
    for key in values:
        m = re.match(re.escape(prefix) + r"\[(\d+)\]\.", key)
        if m and int(m.group(1)) > len(out):
            raise AssertionError("%s: item %s after a gap" % (prefix, m.group(1)))
    return out


def total(xs, direction=None):
    return sum(b for d, b in xs if direction is None or d == direction)


class Stacks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="mtcsim-stacks-")
        cls.dir = cls._tmp.name
        # The scenario folder's lib/ comes before the installed one.
        os.mkdir(os.path.join(cls.dir, "lib"))
        shutil.copy(STACKS_LUA, os.path.join(cls.dir, "lib", "stacks.lua"))
        cls.resolved = {}
        cls.failures = {}
        for name in EXPECTED:
            fname = "stack_%s.lua" % name
            lib.write_scenario(cls.dir, fname, SCENARIO.format(name=name))
            res = lib.run_mtcsim(["check", fname], cwd=cls.dir)
            if res.returncode != 0 or any(m in res.stderr for m in lib.SANITIZER_MARKERS):
                cls.failures[name] = res
                continue
            values = lib.check_output_lines(res.stdout)
            p = "devices[1].stack"
            cls.resolved[name] = dict(
                label=unquote(values["%s.name" % p]),
                ul=int(values["%s.ul_overhead_bytes" % p]),
                answer=int(values["%s.answer_bytes" % p]),
                session=exchanges(values, "%s.session" % p),
                every=int(values["%s.session_every" % p]),
                per_report=exchanges(values, "%s.per_report" % p),
            )

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def get(self, name):
        if name in self.failures:
            self.fail("mtcsim check failed for %s\n%s" % (name, self.failures[name].describe()))
        return self.resolved[name]

    # ------------------------------------------------------------ the table

    def test_every_profile_has_a_row(self):
        lib.write_scenario(self.dir, "list.lua", LIST_SCENARIO)
        res = lib.run_mtcsim(["check", "list.lua"], cwd=self.dir)
        lib.assert_ok(self, res)
        names = [line[len("STACK "):] for line in res.stderr.splitlines()
                 if line.startswith("STACK ")]
        self.assertEqual(sorted(names), sorted(EXPECTED),
                         "profiles of stacks.lua and rows of this test differ")

    def test_profiles_resolve_to_the_table(self):
        for name, want in EXPECTED.items():
            with self.subTest(profile=name):
                got = self.get(name)
                self.assertEqual(got, want)

    def test_schema_limits(self):
        for name in EXPECTED:
            with self.subTest(profile=name):
                got = self.get(name)
                self.assertLessEqual(len(got["label"].encode()), 31)
                self.assertLessEqual(len(got["session"]), MAX_XCHG)
                self.assertLessEqual(len(got["per_report"]), MAX_XCHG)
                for d, b in got["session"] + got["per_report"]:
                    self.assertIn(d, ("ul", "dl"))
                    self.assertGreater(b, 0)
                # A session that is never set up would be dead weight.
                if got["every"] > 0:
                    self.assertTrue(got["session"])
                # answer_bytes -1 would fall back to the cell's dl_ack_bytes.
                self.assertGreaterEqual(got["answer"], 0)

    # ------------------------------------------------------ structural facts

    def test_nidd_adds_nothing(self):
        got = self.get("nidd")
        self.assertEqual((got["ul"], got["answer"], got["session"], got["per_report"]),
                         (0, 0, [], []))

    def test_header_compression_order(self):
        schc, rohc, plain = (self.get(n)["ul"]
                             for n in ("udp_ipv6_schc", "udp_ipv6_rohc", "udp_ipv6"))
        self.assertLess(schc, rohc)
        self.assertLess(rohc, plain)
        self.assertEqual(plain, IP_UDP)
        self.assertGreater(schc, 0)  # the RuleID is always sent

    def test_resumed_handshakes_are_smaller(self):
        for version in ("12", "13"):
            with self.subTest(dtls=version):
                full = self.get("coap_dtls%s_full" % version)
                resumed = self.get("coap_dtls%s_resumed" % version)
                self.assertLess(total(resumed["session"]), total(full["session"]))
                self.assertLess(len(resumed["session"]), len(full["session"]))
                self.assertLess(total(resumed["session"], "ul"), total(full["session"], "ul"))
                self.assertLess(total(resumed["session"], "dl"), total(full["session"], "dl"))
                # Resumption changes the handshake only.
                self.assertEqual((resumed["ul"], resumed["answer"], resumed["per_report"]),
                                 (full["ul"], full["answer"], full["per_report"]))

    def test_record_overheads(self):
        con = self.get("coap_con")
        d12 = self.get("coap_dtls12_full")
        d13 = self.get("coap_dtls13_full")
        # DTLS 1.2 with AES_128_CCM_8: header 13 + explicit nonce 8 + tag 8;
        # DTLS 1.3: unified header 1 + sequence number 1 + content type 1 + tag 8.
        self.assertEqual(d12["ul"] - con["ul"], 29)
        self.assertEqual(d13["ul"] - con["ul"], 11)
        self.assertEqual(d12["answer"] - con["answer"], 29)
        self.assertEqual(d13["answer"] - con["answer"], 11)
        self.assertLess(d13["ul"], d12["ul"])

    def test_coap_and_oscore_overheads(self):
        udp, non, con, osc = (self.get(n) for n in ("udp_ipv6", "coap_non", "coap_con",
                                                     "coap_oscore"))
        # Header 4 + token 4 + Uri-Path 2 + Content-Format 2 + marker 1.
        self.assertEqual(con["ul"] - udp["ul"], 13)
        self.assertEqual(non["ul"] - con["ul"], 3)  # No-Response option (RFC 7967)
        self.assertEqual(con["answer"], IP_UDP + 8)  # ACK + piggybacked 2.04, token echoed
        # OSCORE request: option 5 (flags, 2-byte Partial IV, 1-byte kid) +
        # inner code 1 + tag 8 over the same CoAP; the draft's 15 bytes also
        # count the payload marker, which unprotected CoAP here has too.
        self.assertEqual(osc["ul"] - con["ul"] + 1, 15)
        # OSCORE response: empty option 1 + marker 1 + code 1 + tag 8 = 11.
        self.assertEqual(osc["answer"] - con["answer"], 11)

    def test_handshake_flights_from_the_comparison_draft(self):
        # draft-ietf-iotops-security-protocol-comparison, no Connection ID,
        # CCM_8, secp256r1, ECDSA: DTLS 1.3 RPKs + ECDHE 179 / 447 / 254,
        # PSK 130 / 146 / 55; TLS 1.3 RPKs + ECDHE 162 / 394 / 233.
        full = [b - IP_UDP for _, b in self.get("coap_dtls13_full")["session"]]
        self.assertEqual((full[0], full[3], full[4]), (179, 447, 254))
        resumed = [b - IP_UDP for _, b in self.get("coap_dtls13_resumed")["session"]]
        self.assertEqual(resumed[:3], [130 + 3, 146, 55])  # 4-byte ticket, not a 1-byte id
        mqtt = [b - IP_TCP for _, b in self.get("mqtt_tls13")["session"]]
        self.assertEqual(mqtt[3:6], [162, 394, 233])

    def test_every_exchange_carries_its_lower_headers(self):
        for name in EXPECTED:
            got = self.get(name)
            floor = IP_TCP if name.startswith("mqtt") else IP_UDP
            for d, b in got["session"] + got["per_report"]:
                with self.subTest(profile=name, exchange=(d, b)):
                    self.assertGreaterEqual(b, floor)
            if got["answer"]:
                self.assertGreaterEqual(got["answer"], floor)

    def test_sessions_and_repetition(self):
        # DTLS sessions are set up before every report (NAT binding lost in
        # PSM); MQTT and LwM2M update keep theirs; LwM2M register does not.
        for name in ("coap_dtls12_full", "coap_dtls12_resumed", "coap_dtls13_full",
                     "coap_dtls13_resumed", "lwm2m_register"):
            self.assertEqual(self.get(name)["every"], 1, name)
        for name in ("mqtt_tls13", "lwm2m_update"):
            self.assertEqual(self.get(name)["every"], 0, name)
        reg, upd = self.get("lwm2m_register"), self.get("lwm2m_update")
        self.assertEqual(reg["session"], upd["session"])
        # Update (POST /rd/id) and De-register (DELETE /rd/id) are the same size.
        self.assertEqual(reg["per_report"], upd["per_report"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
