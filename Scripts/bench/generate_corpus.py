#!/usr/bin/env python3
"""Generates the benchmark corpus for poam (issue 8). Standard library only.

    Scripts/bench/generate_corpus.py [OUTDIR] [--quick] [--seed N] [--only KINDS] [--force]

OUTDIR defaults to .bench/corpus (relative to the repository root). Everything is derived
from the seed: the same seed gives byte-identical files. Files that already exist with the
recorded size and seed are kept, so a second run is instant and a full run after a --quick
run only adds what is missing.

What it writes (sizes in decimal MB, 1 MB = 1,000,000 bytes):

  xccdf/xccdf-{10MB,100MB,1GB}.xml  XCCDF 1.2 results as `oscap xccdf eval --results` writes
                                    them: a Benchmark with a few thousand Rules (NIST SP 800-171
                                    and 800-53 references, CCE and DISA CCI idents, long
                                    descriptions and fix scripts) and one TestResult with a
                                    rule-result per Rule (every XCCDF result kind, messages and
                                    check-import output). The rule count stays the same at every
                                    size; long text makes the file grow.
  arf/arf-{10MB,100MB,1GB}.xml      SCAP 1.3 ARF as `oscap xccdf eval --results-arf` writes it:
                                    the source data stream (Benchmark + OVAL definitions) in the
                                    report request, the asset, the XCCDF TestResult report and a
                                    large OVAL results report with system characteristics, which
                                    an importer must skip.
  ckl/host-NNNN.ckl                 1,000 STIG Viewer 2 checklists of about 2 MB: one ASSET per
                                    host, 1-3 iSTIGs, hundreds of VULNs with full STIG_DATA.
  hosts/host-NNNNN.ckl              optional (--only hosts, not in the default set): 10,000 (--hosts-count)
                                    checklists like ckl/ with distinct HOST_NAME, HOST_FQDN, HOST_IP
                                    and HOST_MAC (checklist i is ckl/host-i.ckl but for its ASSET),
                                    for the distinct-host benchmark (run.sh --hosts).
  cklb/host-NNN.cklb                200 STIG Viewer 3 checklists (JSON).
  csv/assessment-1M.csv             1,000,000 assessment rows (Requirement, Objective, Status,
  csv/assessment-100k.csv           Asset, Comments), CMMC IDs in mixed spellings; the 100k
  csv/assessment-small.csv          file is the first 100,000 rows of the same stream; the small
                                    one is one asset's 110 Level 2 requirements.
  hdf/hdf-100MB.json                one MITRE HDF (InSpec) results file.
  nessus/scan-100MB.nessus          optional (--only nessus, not in the default set): a Nessus v2
                                    scan, hosts with 300 compliance checks and 200 vulnerability
                                    plugins each (issue 13).
  manifest.json                     what was generated: seed, sizes, counts.

Checklists are written by one process per core (--jobs); each file depends only on the seed
and its index, so the bytes are the same for any --jobs.

--quick generates only the small sizes: XCCDF/ARF 10 MB, 100 CKL, 20 CKLB, the 100k and
small CSVs and a 10 MB HDF.

Real identifiers: CMMC requirement IDs, objectives and NIST SP 800-53 mappings are read from
the repository's controls/; CCIs from the DISA CCI list in ../shared/samples/mapping (or
--cci-list) when present, else from a short built-in list.
"""

import argparse
import csv
import glob
import io
import json
import os
import random
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape as _xml_escape

GENERATOR_VERSION = 2
MB = 1_000_000
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

NS_171 = "http://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-171.pdf"
NS_53 = "http://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-53r4.pdf"
CCI_SYSTEM = "http://cyber.mil/cci"
CCE_SYSTEM = "https://nvd.nist.gov/cce/index.cfm"
XHTML = "http://www.w3.org/1999/xhtml"


def esc(text):
    """XML text escaping (&, <, >)."""
    return _xml_escape(text)


def esc_q(text):
    """XML escaping that also escapes quotes, as STIG Viewer writes CKL text."""
    return _xml_escape(text, {'"': "&quot;", "'": "&apos;"})


# ---------------------------------------------------------------------------------------------
# Reference data: CMMC requirements and real CCIs
# ---------------------------------------------------------------------------------------------

FALLBACK_REQUIREMENTS = [
    ("AC.L2-3.1.1", "3.1.1", "abcdef", ["AC-2", "AC-3", "AC-17"]),
    ("AC.L2-3.1.5", "3.1.5", "abcd", ["AC-6", "AC-6(1)", "AC-6(5)"]),
    ("AU.L2-3.3.1", "3.3.1", "abcdef", ["AU-2", "AU-3", "AU-12"]),
    ("CM.L2-3.4.1", "3.4.1", "abcdef", ["CM-2", "CM-6", "CM-8"]),
    ("CM.L2-3.4.6", "3.4.6", "ab", ["CM-7"]),
    ("IA.L2-3.5.3", "3.5.3", "abcd", ["IA-2(1)", "IA-2(2)", "IA-2(3)"]),
    ("SC.L2-3.13.11", "3.13.11", "a", ["SC-13"]),
    ("SI.L2-3.14.1", "3.14.1", "abcdef", ["SI-2", "SI-3", "SI-5"]),
]
FALLBACK_CCIS = [
    ("CCI-000015", "AC-2(1)"), ("CCI-000213", "AC-3"), ("CCI-000068", "AC-17(2)"),
    ("CCI-000225", "AC-6"), ("CCI-000130", "AU-3"), ("CCI-000169", "AU-12"),
    ("CCI-000366", "CM-6"), ("CCI-000381", "CM-7"), ("CCI-000765", "IA-2(1)"),
    ("CCI-002450", "SC-13"), ("CCI-001233", "SI-2"), ("CCI-001744", "CM-3(5)"),
    ("CCI-000048", "AC-8"), ("CCI-000057", "AC-11"), ("CCI-000196", "IA-5(1)"),
    ("CCI-002038", "IA-11"), ("CCI-001453", "AC-17(2)"), ("CCI-000044", "AC-7"),
]


class Requirement:
    __slots__ = ("id", "nist", "family", "level", "objectives", "controls")

    def __init__(self, rid, nist, objectives, controls):
        self.id = rid
        self.nist = nist
        self.family = rid.split(".")[0]
        self.level = int(rid.split(".L")[1][0])
        self.objectives = list(objectives)
        self.controls = list(controls)


def base_control(control):
    return control.split("(")[0]


def load_requirements():
    """Level 1 and 2 requirements from controls/ (ID, NIST number, objectives, 800-53 Rev 4)."""
    reqs = []
    level2 = sorted(glob.glob(os.path.join(ROOT, "controls", "level2", "*.json")))
    level1 = os.path.join(ROOT, "controls", "level1.json")
    for path in level2 + ([level1] if os.path.exists(level1) else []):
        with open(path, encoding="utf-8") as handle:
            for record in json.load(handle):
                objectives = [o["id"] for o in record.get("objectives", [])] or ["a"]
                controls = (record.get("nist_800_53") or {}).get("rev4") or []
                reqs.append(Requirement(record["id"], record["nist_id"], objectives, controls))
    if not reqs:
        reqs = [Requirement(r, n, o, c) for r, n, o, c in FALLBACK_REQUIREMENTS]
    reqs.sort(key=lambda r: (r.level, r.id))
    return reqs


def normalize_control(index):
    """'AC-2 (1)' -> 'AC-2(1)'; 'CM-6 b' -> 'CM-6'."""
    parts = index.replace(" (", "(").split()
    return parts[0] if parts else index


def load_ccis(path):
    """(CCI, 800-53 Rev 4 control) pairs from the DISA CCI list; built-in list when absent."""
    if path and os.path.exists(path):
        pairs = []
        for _, element in ET.iterparse(path):
            if not element.tag.endswith("cci_item"):
                continue
            cci = element.get("id")
            for ref in element.iter():
                if ref.tag.endswith("reference") and ref.get("title") == "NIST SP 800-53 Revision 4":
                    pairs.append((cci, normalize_control(ref.get("index", ""))))
                    break
            element.clear()
        if pairs:
            return pairs, os.path.basename(path)
    return list(FALLBACK_CCIS), "built-in list"


class Reference:
    """Requirements, CCIs grouped by the requirement they map to (through 800-53), and pools."""

    def __init__(self, cci_path):
        self.requirements = load_requirements()
        self.level2 = [r for r in self.requirements if r.level == 2] or self.requirements
        ccis, self.cci_source = load_ccis(cci_path)
        self.ccis = ccis
        by_control = {}
        for cci, control in ccis:
            by_control.setdefault(control, []).append(cci)
            by_control.setdefault(base_control(control), []).append(cci)
        self.cci_control = dict(ccis)
        self.ccis_for = {}
        for req in self.level2:
            found = []
            for control in req.controls:
                found += by_control.get(control, []) + by_control.get(base_control(control), [])
            self.ccis_for[req.id] = sorted(set(found)) or [ccis[0][0]]


# ---------------------------------------------------------------------------------------------
# Text pools: realistic prose, command output and scripts, built once from the seed
# ---------------------------------------------------------------------------------------------

SENTENCES = [
    "The operating system must enforce the configured account lockout policy for all interactive logons.",
    "Unauthorized changes to the baseline configuration could make the system vulnerable to various attacks.",
    "If the \"PermitRootLogin\" keyword is set to \"yes\", is missing, or is commented out, this is a finding.",
    "Audit records can be generated from various components within the information system.",
    "Without cryptographic integrity protections, information can be altered by unauthorized users without detection.",
    "Remote access services, such as those providing remote access to network devices, must be monitored.",
    "The system administrator (SA) must document the requirement for the service with the ISSO.",
    "Use of weak or untested encryption algorithms undermines the purposes of using encryption to protect data.",
    "Configuring the operating system to implement organization-wide security implementation guides reduces risk.",
    "Passwords need to be protected at all times, and encryption is the standard method for protecting passwords.",
    "The ISSO must verify that audit logs are reviewed at least weekly & that anomalies are reported.",
    "Check that the file permissions are \"0600\" or less permissive; if they are not, this is a finding.",
    "Session lock is a temporary action taken when a user stops work and moves away from the immediate vicinity.",
    "Malicious code protection mechanisms must be updated whenever new releases are available.",
    "Removing unused and unnecessary packages reduces the attack surface <and> the maintenance burden.",
    "Verify the operating system prevents the use of dictionary words for passwords.",
    "Information systems must be configured so that only authorized users, processes and devices gain access.",
    "Failure to restrict the number of concurrent sessions may lead to resource exhaustion.",
    "Mandatory access control confines processes to the minimum privileges needed to do their job.",
    "Verify that the system clock is synchronized with an authoritative DoD time source at least every 24 hours.",
    "An attacker with physical access could boot from removable media and bypass the operating system controls.",
    "Identification and authentication of devices before establishing a connection prevents spoofing.",
    "Inspect the configuration with the following command and compare the output with the expected values.",
    "Documented exceptions must be reviewed and approved by the Authorizing Official (AO).",
    "The organization must employ automated mechanisms to centrally manage configuration settings.",
    "Nonlocal maintenance and diagnostic sessions must use strong authenticators and be terminated when complete.",
    "Media containing CUI must be sanitized or destroyed before disposal or release for reuse.",
    "Security functions must be isolated from nonsecurity functions by means of separate execution domains.",
    "System components must reject connections from hosts not explicitly allowed by the firewall policy.",
    "Vulnerability scans must be run at least monthly and when new vulnerabilities are identified.",
    "Flaw remediation, including patch installation, must be completed within the timeframes set by policy.",
    "Verify the SSH daemon uses only FIPS 140-2 approved ciphers; if other ciphers are listed, this is a finding.",
    "Privileged functions include establishing accounts, performing system integrity checks and administering keys.",
    "The login banner must state that users consent to monitoring; otherwise this is a finding.",
    "Note: If the system is not connected to a network, this requirement is Not Applicable.",
    "Temporary accounts must be removed or disabled automatically after 72 hours.",
    "Portable storage devices must be scanned for malicious code before use on organizational systems.",
    "Shared accounts must not be used; each user must be uniquely identified and authenticated.",
    "Incident response capability must include preparation, detection, analysis, containment and recovery.",
    "Physical access logs must be maintained and reviewed, and visitors must be escorted at all times.",
]

PATHS = [
    "/etc/ssh/sshd_config", "/etc/pam.d/system-auth", "/etc/pam.d/password-auth", "/etc/login.defs",
    "/etc/audit/auditd.conf", "/etc/audit/rules.d/audit.rules", "/etc/security/faillock.conf",
    "/etc/chrony.conf", "/etc/sysctl.d/99-sysctl.conf", "/etc/fstab", "/etc/crypto-policies/config",
    "/etc/security/pwquality.conf", "/etc/sudoers", "/etc/default/grub", "/etc/aide.conf",
    "/etc/systemd/system.conf", "/etc/dconf/db/local.d/00-screensaver", "/etc/issue", "/etc/profile",
    "/var/log/audit/audit.log", "/usr/bin/sudo", "/usr/sbin/sshd", "/etc/shadow", "/etc/passwd",
]
PACKAGES = [
    "openssh-server", "aide", "audit", "chrony", "firewalld", "sudo", "rsyslog", "openssl",
    "libpwquality", "policycoreutils", "usbguard", "fapolicyd", "tmux", "crypto-policies", "gnutls",
]
KEYS = [
    "PermitRootLogin", "ClientAliveInterval", "MaxAuthTries", "PASS_MAX_DAYS", "deny", "unlock_time",
    "space_left_action", "max_log_file_action", "minlen", "dcredit", "ucredit", "Ciphers", "MACs",
    "net.ipv4.ip_forward", "kernel.randomize_va_space", "fs.protected_symlinks", "lock-delay",
]


def make_pools(rng):
    """Text blocks chosen at random while writing; every block is ASCII."""
    paragraphs = []
    for _ in range(400):
        paragraphs.append(" ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 7))))
    outputs = []
    for _ in range(400):
        lines = []
        for _ in range(rng.randint(4, 28)):
            kind = rng.randrange(6)
            path = rng.choice(PATHS)
            if kind == 0:
                lines.append("%s:%d:%s = %d" % (path, rng.randint(1, 400), rng.choice(KEYS), rng.randint(0, 9000)))
            elif kind == 1:
                lines.append(
                    "-rw-r-----. 1 root root %d Jan %2d %02d:%02d %s"
                    % (rng.randint(100, 90000), rng.randint(1, 31), rng.randint(0, 23), rng.randint(0, 59), path)
                )
            elif kind == 2:
                pkg = rng.choice(PACKAGES)
                lines.append("package %s-%d.%d-%d.el8.x86_64 is installed" % (pkg, rng.randint(1, 9), rng.randint(0, 40), rng.randint(1, 30)))
            elif kind == 3:
                lines.append(
                    "type=SYSCALL msg=audit(%d.%03d:%d): arch=c000003e syscall=%d success=yes exit=0 auid=%d uid=0 comm=\"%s\" exe=\"%s\""
                    % (rng.randint(1600000000, 1700000000), rng.randint(0, 999), rng.randint(100, 99999),
                       rng.randint(1, 330), rng.randint(1000, 1100), rng.choice(PACKAGES), rng.choice(PATHS))
                )
            elif kind == 4:
                lines.append("%s %s" % (rng.choice(KEYS), rng.choice(["yes", "no", "0", "900", "3", "aes256-ctr,aes192-ctr", "<none>"])))
            else:
                lines.append("expected %s to match /^\\s*%s\\s+%d/ but found %d" % (path, rng.choice(KEYS), rng.randint(0, 900), rng.randint(0, 900)))
        outputs.append("\n".join(lines) + "\n")
    scripts = []
    for _ in range(200):
        lines = ["# Remediation is applicable only in certain platforms",
                 "if dpkg-query --show --showformat='${db:Status-Status}\\n' 'linux-base' 2>/dev/null | grep -q installed; then", ""]
        for _ in range(rng.randint(3, 20)):
            key = rng.choice(KEYS)
            path = rng.choice(PATHS)
            kind = rng.randrange(4)
            if kind == 0:
                lines.append("if [ -e \"%s\" ] ; then" % path)
                lines.append("    LC_ALL=C sed -i \"/^\\s*%s\\s*=\\s*/Id\" \"%s\"" % (key, path))
                lines.append("else")
                lines.append("    touch \"%s\"" % path)
                lines.append("fi")
            elif kind == 1:
                lines.append("printf '%%s\\n' \"%s = %d\" >> \"%s\"" % (key, rng.randint(0, 900), path))
            elif kind == 2:
                lines.append("DEBIAN_FRONTEND=noninteractive apt-get install -y \"%s\"" % rng.choice(PACKAGES))
            else:
                lines.append("chmod u-xs,g-xws,o-xwrt %s && chown root:root %s" % (path, path))
        lines += ["", "else", "    >&2 echo 'Remediation is not applicable, nothing was done'", "fi"]
        scripts.append("\n".join(lines) + "\n")
    return {
        "prose": paragraphs,
        "prose_x": [esc(p) for p in paragraphs],
        "prose_q": [esc_q(p) for p in paragraphs],
        "out": outputs,
        "out_x": [esc(o) for o in outputs],
        "out_q": [esc_q(o) for o in outputs],
        "script_x": [esc(s) for s in scripts],
        "script": scripts,
    }


def fill(rng, pool, nbytes, sep="\n\n"):
    """Whole blocks from a pool until at least nbytes (never cut inside an entity)."""
    if nbytes <= 0:
        return ""
    parts = []
    total = 0
    while total < nbytes:
        block = pool[rng.randrange(len(pool))]
        parts.append(block)
        total += len(block) + len(sep)
    return sep.join(parts)


class Budget:
    """Spreads a byte budget over a number of items: each item asks how much padding to add."""

    def __init__(self, total, items):
        self.total = total
        self.items = max(1, items)
        self.used = 0
        self.done = 0
        self.base = 0

    def padding(self, rng, base_estimate):
        remaining = self.items - self.done
        left = self.total - self.used
        per = left / max(1, remaining) - base_estimate
        return int(max(0, per) * rng.uniform(0.5, 1.5))

    def spent(self, nbytes):
        self.used += nbytes
        self.done += 1


class Out:
    """Buffered ASCII writer that counts bytes."""

    def __init__(self, path):
        self.path = path
        self.tmp = path + ".part"
        self.handle = open(self.tmp, "w", encoding="ascii", newline="\n")
        self.parts = []
        self.pending = 0
        self.size = 0

    def write(self, text):
        self.parts.append(text)
        self.pending += len(text)
        self.size += len(text)
        if self.pending > 4 * MB:
            self.flush()

    def flush(self):
        self.handle.write("".join(self.parts))
        self.parts = []
        self.pending = 0

    def close(self):
        self.flush()
        self.handle.close()
        os.replace(self.tmp, self.path)


# ---------------------------------------------------------------------------------------------
# XCCDF and ARF
# ---------------------------------------------------------------------------------------------

RESULT_KINDS = [
    ("pass", 44), ("fail", 24), ("notapplicable", 9), ("notselected", 9), ("notchecked", 4),
    ("error", 2), ("unknown", 2), ("informational", 3), ("fixed", 3),
]
SEVERITIES = ["low", "medium", "medium", "medium", "high", "unknown"]
VERBS = ["configure", "enable", "disable", "ensure", "set", "audit", "restrict", "require", "harden", "verify"]
OBJECTS = [
    "sshd_root_login", "sshd_idle_timeout", "accounts_lockout", "password_minlen", "auditd_space_left",
    "audit_rules_privileged", "chronyd_server", "sysctl_ip_forward", "aslr", "usbguard", "fips_mode",
    "aide_periodic", "banner_text", "screensaver_lock", "sudo_logfile", "file_permissions_shadow",
    "grub2_password", "firewalld_default_zone", "package_telnet_removed", "umask_default", "coredump",
    "kernel_module_usb_storage", "selinux_enforcing", "pam_faillock", "rsyslog_remote", "home_nosuid",
]


def weighted_choice(rng, table, total=None):
    total = total or sum(w for _, w in table)
    pick = rng.uniform(0, total)
    for value, weight in table:
        pick -= weight
        if pick <= 0:
            return value
    return table[-1][0]


class Rule:
    __slots__ = ("id", "slug", "severity", "nist", "controls", "ccis", "cce", "result", "oval", "title")


def make_rules(rng, ref, count):
    """Rule definitions shared by the Benchmark and the TestResult."""
    rules = []
    seen = set()
    results_total = sum(w for _, w in RESULT_KINDS)
    for index in range(count):
        rule = Rule()
        slug = "%s_%s" % (rng.choice(VERBS), rng.choice(OBJECTS))
        if slug in seen:
            slug = "%s_%d" % (slug, index)
        seen.add(slug)
        rule.slug = slug
        rule.id = "xccdf_org.ssgproject.content_rule_" + slug
        rule.title = slug.replace("_", " ").capitalize()
        rule.severity = rng.choice(SEVERITIES)
        reqs = rng.sample(ref.level2, rng.choice([1, 1, 1, 2, 2, 3]))
        rule.nist = [r.nist for r in reqs]
        rule.controls = sorted({c for r in reqs for c in r.controls[:3]})
        pool = sorted({c for r in reqs for c in ref.ccis_for[r.id]})
        rule.ccis = rng.sample(pool, min(len(pool), rng.choice([1, 1, 2, 3])))
        if rng.random() < 0.05:  # a CCI that maps to nothing in 800-171: realistic noise
            rule.ccis.append(rng.choice(ref.ccis)[0])
        rule.cce = "CCE-%05d-%d" % (80000 + index, rng.randint(0, 9))
        rule.result = weighted_choice(rng, RESULT_KINDS, results_total)
        rule.oval = "oval:ssg-%s:def:1" % slug
        rules.append(rule)
    return rules


def rule_xml(rng, pools, rule, pad, indent):
    desc_pad = pad * 2 // 5
    fix_pad = pad - desc_pad
    sp = " " * indent
    out = [
        '%s<Rule id="%s" selected="true" role="full" severity="%s">\n' % (sp, rule.id, rule.severity),
        '%s  <title xmlns:xhtml="%s" xml:lang="en-US">%s</title>\n' % (sp, XHTML, esc(rule.title)),
        '%s  <description xmlns:xhtml="%s" xml:lang="en-US">%s\n<html:pre xmlns:html="%s">%s</html:pre>\n%s</description>\n'
        % (sp, XHTML, esc(rng.choice(SENTENCES)), XHTML, esc(rng.choice(PATHS)),
           fill(rng, pools["prose_x"], desc_pad)),
    ]
    for nist in rule.nist:
        out.append('%s  <reference href="%s">%s</reference>\n' % (sp, NS_171, nist))
    for control in rule.controls:
        out.append('%s  <reference href="%s">%s</reference>\n' % (sp, NS_53, control))
    out.append('%s  <reference href="https://www.cisecurity.org/controls/">%d</reference>\n' % (sp, rng.randint(1, 20)))
    for cci in rule.ccis:
        out.append('%s  <reference href="https://public.cyber.mil/stigs/cci/">%s</reference>\n' % (sp, cci))
    out.append('%s  <rationale xmlns:xhtml="%s" xml:lang="en-US">%s</rationale>\n' % (sp, XHTML, esc(rng.choice(SENTENCES))))
    out.append('%s  <ident system="%s">%s</ident>\n' % (sp, CCE_SYSTEM, rule.cce))
    for cci in rule.ccis:
        out.append('%s  <ident system="%s">%s</ident>\n' % (sp, CCI_SYSTEM, cci))
    out.append(
        '%s  <fix xmlns:xhtml="%s" id="%s" system="urn:xccdf:fix:script:sh" complexity="low" disruption="low" strategy="restrict">%s</fix>\n'
        % (sp, XHTML, rule.slug, fill(rng, pools["script_x"], fix_pad, "\n"))
    )
    out.append('%s  <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5">\n' % sp)
    out.append('%s    <check-content-ref name="%s" href="ssg-debian12-oval.xml"/>\n' % (sp, rule.oval))
    out.append("%s  </check>\n%s</Rule>\n" % (sp, sp))
    return "".join(out)


def benchmark_head(rng, pools, indent):
    sp = " " * indent
    return "".join([
        '%s<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'id="xccdf_org.ssgproject.content_benchmark_DEBIAN-12" resolved="1" xml:lang="en-US" style="SCAP_1.2">\n' % sp,
        '%s  <status date="2025-01-15">draft</status>\n' % sp,
        '%s  <title xmlns:xhtml="%s" xml:lang="en-US">Guide to the Secure Configuration of Debian 12 (poam benchmark corpus)</title>\n' % (sp, XHTML),
        '%s  <description xmlns:xhtml="%s" xml:lang="en-US">%s</description>\n' % (sp, XHTML, pools["prose_x"][0]),
        '%s  <notice xmlns:xhtml="%s" xml:lang="en-US" id="terms_of_use">Synthetic content generated for benchmarking.</notice>\n' % (sp, XHTML),
        '%s  <reference href="%s">cui</reference>\n' % (sp, NS_171),
        '%s  <reference href="%s">nist</reference>\n' % (sp, NS_53),
        '%s  <reference href="https://public.cyber.mil/stigs/cci/">disa</reference>\n' % sp,
        '%s  <platform idref="cpe:/o:debian:debian_linux:12"/>\n' % sp,
        '%s  <version update="https://github.com/ComplianceAsCode/content/releases/latest">0.1.75</version>\n' % sp,
        '%s  <metadata>\n%s    <dc:publisher xmlns:dc="http://purl.org/dc/elements/1.1/">ComplianceAsCode</dc:publisher>\n%s  </metadata>\n' % (sp, sp, sp),
    ])


def profile_xml(rules, indent):
    sp = " " * indent
    out = ['%s<Profile id="xccdf_org.ssgproject.content_profile_cui">\n' % sp,
           '%s  <title xmlns:xhtml="%s" xml:lang="en-US">Unclassified Information in Non-federal Information Systems and Organizations (NIST 800-171)</title>\n' % (sp, XHTML),
           '%s  <description xmlns:xhtml="%s" xml:lang="en-US">From NIST 800-171, Section 2.2.</description>\n' % (sp, XHTML)]
    for rule in rules:
        out.append('%s  <select idref="%s" selected="%s"/>\n' % (sp, rule.id, "false" if rule.result == "notselected" else "true"))
    out.append("%s</Profile>\n" % sp)
    return "".join(out)


def write_benchmark_rules(out, rng, pools, rules, budget, indent):
    """Groups by family, each holding its Rules, padded to the budget."""
    sp = " " * indent
    families = {}
    for rule in rules:
        families.setdefault(rule.nist[0].split(".")[1], []).append(rule)
    base = 1400
    for family in sorted(families, key=int):
        out.write('%s<Group id="xccdf_org.ssgproject.content_group_family_3_%s">\n' % (sp, family))
        out.write('%s  <title xmlns:xhtml="%s" xml:lang="en-US">NIST SP 800-171 family 3.%s</title>\n' % (sp, XHTML, family))
        out.write('%s  <description xmlns:xhtml="%s" xml:lang="en-US">%s</description>\n' % (sp, XHTML, pools["prose_x"][int(family)]))
        for rule in families[family]:
            text = rule_xml(rng, pools, rule, budget.padding(rng, base), indent + 2)
            budget.spent(len(text))
            out.write(text)
        out.write("%s</Group>\n" % sp)


def rule_result_xml(rng, pools, rule, pad, indent, href):
    sp = " " * indent
    minute = rng.randint(0, 59)
    out = [
        '%s<rule-result idref="%s" role="full" time="2025-01-15T03:%02d:%02d+00:00" severity="%s" weight="1.000000">\n'
        % (sp, rule.id, minute, rng.randint(0, 59), rule.severity),
        "%s  <result>%s</result>\n" % (sp, rule.result),
        '%s  <ident system="%s">%s</ident>\n' % (sp, CCE_SYSTEM, rule.cce),
    ]
    for cci in rule.ccis:
        out.append('%s  <ident system="%s">%s</ident>\n' % (sp, CCI_SYSTEM, cci))
    if pad > 0:
        # Scanner messages are short; the bulk of the output is the check's imported stdout.
        message_pad = min(pad // 3, rng.randint(100, 1500))
        import_pad = pad - message_pad
        out.append('%s  <message severity="info">%s</message>\n' % (sp, fill(rng, pools["out_x"], message_pad, "")))
    else:
        import_pad = 0
    out.append('%s  <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5">\n' % sp)
    if import_pad > 0:
        out.append('%s    <check-import import-name="stdout">%s</check-import>\n' % (sp, fill(rng, pools["out_x"], import_pad, "")))
    out.append('%s    <check-content-ref name="%s" href="%s"/>\n' % (sp, rule.oval, href))
    out.append("%s  </check>\n%s</rule-result>\n" % (sp, sp))
    return "".join(out)


def test_result_open(rng, indent, arf, host):
    sp = " " * indent
    xmlns = ' xmlns="http://checklists.nist.gov/xccdf/1.2"' if arf else ""
    out = [
        '%s<TestResult%s id="xccdf_org.open-scap_testresult_xccdf_org.ssgproject.content_profile_cui" '
        'start-time="2025-01-15T03:00:00+00:00" end-time="2025-01-15T03:59:59+00:00" version="0.1.75" '
        'test-system="cpe:/a:redhat:openscap:1.3.7">\n' % (sp, xmlns),
        '%s  <benchmark href="#scap_org.open-scap_comp_ssg-debian12-xccdf.xml" id="xccdf_org.ssgproject.content_benchmark_DEBIAN-12"/>\n' % sp,
        "%s  <title>OSCAP Scan Result</title>\n" % sp,
        '%s  <identity authenticated="false" privileged="false">root</identity>\n' % sp,
        '%s  <profile idref="xccdf_org.ssgproject.content_profile_cui"/>\n' % sp,
        "%s  <target>%s</target>\n" % (sp, host),
        "%s  <target-address>127.0.0.1</target-address>\n" % sp,
        "%s  <target-address>192.0.2.%d</target-address>\n" % (sp, rng.randint(2, 250)),
        "%s  <target-facts>\n" % sp,
        '%s    <fact name="urn:xccdf:fact:scanner:name" type="string">OpenSCAP</fact>\n' % sp,
        '%s    <fact name="urn:xccdf:fact:scanner:version" type="string">1.3.7</fact>\n' % sp,
        '%s    <fact name="urn:xccdf:fact:asset:identifier:fqdn" type="string">%s.example.mil</fact>\n' % (sp, host),
        '%s    <fact name="urn:xccdf:fact:asset:identifier:host_name" type="string">%s</fact>\n' % (sp, host),
        "%s  </target-facts>\n" % sp,
    ]
    if arf:
        out.append('%s  <target-id-ref system="http://scap.nist.gov/schema/asset-identification/1.1" name="asset0" href=""/>\n' % sp)
    out.append('%s  <platform idref="cpe:/o:debian:debian_linux:12"/>\n' % sp)
    out.append('%s  <set-value idref="xccdf_org.ssgproject.content_value_var_accounts_passwords_pam_faillock_deny">3</set-value>\n' % sp)
    return "".join(out)


def score_xml(rules, indent):
    sp = " " * indent
    passed = sum(1 for r in rules if r.result == "pass")
    counted = sum(1 for r in rules if r.result in ("pass", "fail", "error", "unknown", "fixed"))
    score = 100.0 * passed / counted if counted else 0.0
    return '%s<score system="urn:xccdf:scoring:default" maximum="100.000000">%.6f</score>\n' % (sp, score)


def write_test_result(out, rng, pools, rules, budget, indent, arf, host):
    out.write(test_result_open(rng, indent, arf, host))
    href = "#oval0" if arf else "ssg-debian12-oval.xml"
    base = 700
    for rule in rules:
        text = rule_result_xml(rng, pools, rule, budget.padding(rng, base), indent + 2, href)
        budget.spent(len(text))
        out.write(text)
    out.write(score_xml(rules, indent + 2))
    out.write("%s</TestResult>\n" % (" " * indent))


def generate_xccdf(path, target, rules_count, seed, ref):
    rng = random.Random("%d/xccdf/%d" % (seed, target))
    pools = make_pools(rng)
    rules = make_rules(rng, ref, rules_count)
    out = Out(path)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(benchmark_head(rng, pools, 0))
    out.write(profile_xml(rules, 2))
    write_benchmark_rules(out, rng, pools, rules, Budget(int(target * 0.42), len(rules)), 2)
    write_test_result(out, rng, pools, rules, Budget(target - out.size - 300, len(rules)), 2, False, "bench-host-01")
    out.write("</Benchmark>\n")
    out.close()
    return {"rules": len(rules), "rule_results": len(rules), "results": count_results(rules)}


def count_results(rules):
    counts = {}
    for rule in rules:
        counts[rule.result] = counts.get(rule.result, 0) + 1
    return dict(sorted(counts.items()))


OVAL_DEF_NS = "http://oval.mitre.org/XMLSchema/oval-definitions-5"
OVAL_RES_NS = "http://oval.mitre.org/XMLSchema/oval-results-5"
OVAL_SC_NS = "http://oval.mitre.org/XMLSchema/oval-system-characteristics-5"
OVAL_COMMON = "http://oval.mitre.org/XMLSchema/oval-common-5"


def oval_definition_xml(rng, pools, rule, index, sp):
    return (
        '%s<definition class="compliance" id="%s" version="1">\n'
        "%s  <metadata>\n%s    <title>%s</title>\n"
        '%s    <affected family="unix">\n%s      <platform>Debian 12</platform>\n%s    </affected>\n'
        '%s    <reference ref_id="%s" source="ssg-debian12"/>\n'
        "%s    <description>%s</description>\n%s  </metadata>\n"
        '%s  <criteria operator="AND">\n'
        '%s    <criterion comment="%s" test_ref="oval:ssg-test_%s:tst:1"/>\n'
        "%s  </criteria>\n%s</definition>\n"
        % (sp, rule.oval, sp, sp, esc(rule.title), sp, sp, sp, sp, rule.slug, sp,
           esc(SENTENCES[index % len(SENTENCES)]), sp, sp, sp, esc(rule.title), rule.slug, sp, sp)
    )


def oval_definitions(rng, pools, rules, indent):
    sp = " " * indent
    out = [
        '%s<oval_definitions xmlns="%s" xmlns:oval="%s" xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent" '
        'xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix" xmlns:linux="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux">\n'
        % (sp, OVAL_DEF_NS, OVAL_COMMON),
        "%s  <generator>\n%s    <oval:product_name>combine_ovals.py from SCAP Security Guide</oval:product_name>\n"
        "%s    <oval:schema_version>5.11.2</oval:schema_version>\n%s    <oval:timestamp>2025-01-15T00:00:00</oval:timestamp>\n%s  </generator>\n"
        % (sp, sp, sp, sp, sp),
        "%s  <definitions>\n" % sp,
    ]
    for index, rule in enumerate(rules):
        out.append(oval_definition_xml(rng, pools, rule, index, sp + "    "))
    out.append("%s  </definitions>\n%s  <tests>\n" % (sp, sp))
    for rule in rules:
        out.append(
            '%s    <ind:textfilecontent54_test check="all" check_existence="all_exist" comment="%s" id="oval:ssg-test_%s:tst:1" version="1">\n'
            '%s      <ind:object object_ref="oval:ssg-obj_%s:obj:1"/>\n%s    </ind:textfilecontent54_test>\n'
            % (sp, esc(rule.title), rule.slug, sp, rule.slug, sp)
        )
    out.append("%s  </tests>\n%s  <objects>\n" % (sp, sp))
    for rule in rules:
        path = rng.choice(PATHS)
        out.append(
            '%s    <ind:textfilecontent54_object id="oval:ssg-obj_%s:obj:1" version="1">\n'
            "%s      <ind:filepath>%s</ind:filepath>\n"
            '%s      <ind:pattern operation="pattern match">^[\\s]*%s[\\s]+(.+)$</ind:pattern>\n'
            '%s      <ind:instance datatype="int" operation="greater than or equal">1</ind:instance>\n'
            "%s    </ind:textfilecontent54_object>\n"
            % (sp, rule.slug, sp, path, sp, rng.choice(KEYS), sp, sp)
        )
    out.append("%s  </objects>\n%s</oval_definitions>\n" % (sp, sp))
    return "".join(out)


def write_oval_results(out, rng, pools, rules, end_target, indent, host):
    """oval_results with definitions, tests and a system-characteristics report of items."""
    sp = " " * indent
    out.write(
        '%s<oval_results xmlns="%s" xmlns:oval="%s" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        "%s  <generator>\n%s    <oval:product_name>cpe:/a:open-scap:oscap</oval:product_name>\n"
        "%s    <oval:product_version>1.3.7</oval:product_version>\n%s    <oval:schema_version>5.11.2</oval:schema_version>\n"
        "%s    <oval:timestamp>2025-01-15T03:59:59</oval:timestamp>\n%s  </generator>\n"
        "%s  <directives>\n"
        '%s    <definition_true reported="true" content="full"/>\n%s    <definition_false reported="true" content="full"/>\n'
        '%s    <definition_unknown reported="true" content="full"/>\n%s    <definition_error reported="true" content="full"/>\n'
        '%s    <definition_not_evaluated reported="true" content="full"/>\n%s    <definition_not_applicable reported="true" content="full"/>\n'
        "%s  </directives>\n"
        % (sp, OVAL_RES_NS, OVAL_COMMON, sp, sp, sp, sp, sp, sp, sp, sp, sp, sp, sp, sp, sp, sp)
    )
    oval_result = {"pass": "true", "fail": "false", "error": "error", "unknown": "unknown",
                   "notapplicable": "not applicable", "notchecked": "not evaluated",
                   "notselected": "not evaluated", "informational": "true", "fixed": "true"}
    out.write("%s  <results>\n%s    <system>\n%s      <definitions>\n" % (sp, sp, sp))
    for rule in rules:
        result = oval_result[rule.result]
        out.write(
            '%s        <definition definition_id="%s" result="%s" version="1">\n'
            '%s          <criteria operator="AND" result="%s">\n'
            '%s            <criterion test_ref="oval:ssg-test_%s:tst:1" version="1" result="%s"/>\n'
            "%s          </criteria>\n%s        </definition>\n"
            % (sp, rule.oval, result, sp, result, sp, rule.slug, result, sp, sp)
        )
    out.write("%s      </definitions>\n%s      <tests>\n" % (sp, sp))
    items_per_rule = []
    item = 1000
    for rule in rules:
        count = rng.randint(1, 4)
        items_per_rule.append((item, count))
        result = oval_result[rule.result]
        out.write(
            '%s        <test test_id="oval:ssg-test_%s:tst:1" version="1" check_existence="all_exist" check="all" result="%s">\n'
            % (sp, rule.slug, result)
        )
        for k in range(count):
            out.write('%s          <tested_item item_id="%d" result="%s"/>\n' % (sp, item + k, result))
        out.write("%s        </test>\n" % sp)
        item += count
    out.write("%s      </tests>\n" % sp)
    out.write(
        '%s      <oval_system_characteristics xmlns="%s" xmlns:unix-sys="%s#unix" xmlns:ind-sys="%s#independent" xmlns:lin-sys="%s#linux">\n'
        "%s        <generator>\n%s          <oval:product_name>cpe:/a:open-scap:oscap</oval:product_name>\n"
        "%s          <oval:schema_version>5.11.2</oval:schema_version>\n%s          <oval:timestamp>2025-01-15T03:59:59</oval:timestamp>\n%s        </generator>\n"
        "%s        <system_info>\n%s          <os_name>Linux</os_name>\n%s          <os_version>#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1</os_version>\n"
        "%s          <architecture>x86_64</architecture>\n%s          <primary_host_name>%s</primary_host_name>\n"
        "%s          <interfaces>\n%s            <interface>\n%s              <interface_name>eth0</interface_name>\n"
        "%s              <ip_address>192.0.2.10</ip_address>\n%s              <mac_address>52:54:00:12:34:56</mac_address>\n"
        "%s            </interface>\n%s          </interfaces>\n%s        </system_info>\n"
        % ((sp, OVAL_SC_NS, OVAL_SC_NS, OVAL_SC_NS, OVAL_SC_NS) + (sp,) * 10 + (host,) + (sp,) * 8)
    )
    out.write("%s        <collected_objects>\n" % sp)
    for rule, (first, count) in zip(rules, items_per_rule):
        out.write('%s          <object id="oval:ssg-obj_%s:obj:1" version="1" flag="complete">\n' % (sp, rule.slug))
        for k in range(count):
            out.write('%s            <reference item_ref="%d"/>\n' % (sp, first + k))
        out.write("%s          </object>\n" % sp)
    out.write("%s        </collected_objects>\n%s        <system_data>\n" % (sp, sp))
    total_items = sum(c for _, c in items_per_rule)
    item_budget = Budget(end_target - out.size, total_items)
    for first, count in items_per_rule:
        for k in range(count):
            pad = item_budget.padding(rng, 600)
            path = rng.choice(PATHS)
            directory, _, name = path.rpartition("/")
            kind = rng.randrange(3)
            if kind == 0:
                text = (
                    '%s          <ind-sys:textfilecontent_item id="%d" status="exists">\n'
                    "%s            <ind-sys:filepath>%s</ind-sys:filepath>\n%s            <ind-sys:path>%s</ind-sys:path>\n"
                    "%s            <ind-sys:filename>%s</ind-sys:filename>\n%s            <ind-sys:pattern>^[\\s]*%s[\\s]+(.+)$</ind-sys:pattern>\n"
                    '%s            <ind-sys:instance datatype="int">1</ind-sys:instance>\n'
                    "%s            <ind-sys:text>%s</ind-sys:text>\n%s            <ind-sys:subexpression>%d</ind-sys:subexpression>\n"
                    "%s          </ind-sys:textfilecontent_item>\n"
                    % (sp, first + k, sp, path, sp, directory, sp, name, sp, rng.choice(KEYS), sp, sp,
                       fill(rng, pools["out_x"], pad, ""), sp, rng.randint(0, 900), sp)
                )
            elif kind == 1:
                text = (
                    '%s          <unix-sys:file_item id="%d" status="exists">\n'
                    "%s            <unix-sys:filepath>%s</unix-sys:filepath>\n%s            <unix-sys:path>%s</unix-sys:path>\n"
                    "%s            <unix-sys:filename>%s</unix-sys:filename>\n%s            <unix-sys:type>regular</unix-sys:type>\n"
                    '%s            <unix-sys:group_id datatype="int">0</unix-sys:group_id>\n%s            <unix-sys:user_id datatype="int">0</unix-sys:user_id>\n'
                    '%s            <unix-sys:a_time datatype="int">%d</unix-sys:a_time>\n%s            <unix-sys:size datatype="int">%d</unix-sys:size>\n'
                    '%s            <unix-sys:uread datatype="boolean">true</unix-sys:uread>\n%s            <unix-sys:uwrite datatype="boolean">true</unix-sys:uwrite>\n'
                    '%s            <unix-sys:oread datatype="boolean">false</unix-sys:oread>\n'
                    "%s            <unix-sys:extended_attributes>%s</unix-sys:extended_attributes>\n"
                    "%s          </unix-sys:file_item>\n"
                    % (sp, first + k, sp, path, sp, directory, sp, name, sp, sp, sp, sp, rng.randint(1600000000, 1700000000),
                       sp, rng.randint(10, 90000), sp, sp, sp, sp, fill(rng, pools["out_x"], pad, ""), sp)
                )
            else:
                package = rng.choice(PACKAGES)
                text = (
                    '%s          <lin-sys:dpkginfo_item id="%d" status="exists">\n'
                    "%s            <lin-sys:name>%s</lin-sys:name>\n%s            <lin-sys:arch>amd64</lin-sys:arch>\n"
                    "%s            <lin-sys:epoch>(none)</lin-sys:epoch>\n%s            <lin-sys:release>%d</lin-sys:release>\n"
                    "%s            <lin-sys:version>%d.%d</lin-sys:version>\n%s            <lin-sys:evr>0:%d.%d-%d</lin-sys:evr>\n"
                    "%s            <lin-sys:signature_keyid>%s</lin-sys:signature_keyid>\n"
                    "%s          </lin-sys:dpkginfo_item>\n"
                    % (sp, first + k, sp, package, sp, sp, sp, rng.randint(1, 9), sp, rng.randint(1, 9), rng.randint(0, 40),
                       sp, rng.randint(1, 9), rng.randint(0, 40), rng.randint(1, 9), sp, fill(rng, pools["out_x"], pad, ""), sp)
                )
            item_budget.spent(len(text))
            out.write(text)
    out.write(
        "%s        </system_data>\n%s      </oval_system_characteristics>\n%s    </system>\n%s  </results>\n%s</oval_results>\n"
        % (sp, sp, sp, sp, sp)
    )


def generate_arf(path, target, rules_count, seed, ref):
    rng = random.Random("%d/arf/%d" % (seed, target))
    pools = make_pools(rng)
    rules = make_rules(rng, ref, rules_count)
    host = "bench-host-02"
    out = Out(path)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(
        '<arf:asset-report-collection xmlns:arf="http://scap.nist.gov/schema/asset-reporting-format/1.1" '
        'xmlns:core="http://scap.nist.gov/schema/reporting-core/1.1" xmlns:ai="http://scap.nist.gov/schema/asset-identification/1.1">\n'
        '  <core:relationships xmlns:arfvocab="http://scap.nist.gov/specifications/arf/vocabulary/relationships/1.0#">\n'
        '    <core:relationship type="arfvocab:createdFor" subject="xccdf1">\n      <core:ref>collection1</core:ref>\n    </core:relationship>\n'
        '    <core:relationship type="arfvocab:isAbout" subject="xccdf1">\n      <core:ref>asset0</core:ref>\n    </core:relationship>\n'
        "  </core:relationships>\n"
        "  <arf:report-requests>\n"
        '    <arf:report-request id="collection1">\n'
        "      <arf:content>\n"
        '        <ds:data-stream-collection xmlns:ds="http://scap.nist.gov/schema/scap/source/1.2" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:cat="urn:oasis:names:tc:entity:xmlns:xml:catalog" id="scap_org.open-scap_collection_from_xccdf_ssg-debian12-xccdf.xml" schematron-version="1.3">\n'
        '          <ds:data-stream id="scap_org.open-scap_datastream_from_xccdf_ssg-debian12-xccdf.xml" scap-version="1.3" use-case="OTHER">\n'
        "            <ds:checklists>\n"
        '              <ds:component-ref id="scap_org.open-scap_cref_ssg-debian12-xccdf.xml" xlink:href="#scap_org.open-scap_comp_ssg-debian12-xccdf.xml">\n'
        '                <cat:catalog>\n                  <cat:uri name="ssg-debian12-oval.xml" uri="#scap_org.open-scap_cref_ssg-debian12-oval.xml"/>\n                </cat:catalog>\n'
        "              </ds:component-ref>\n"
        "            </ds:checklists>\n"
        '            <ds:checks>\n              <ds:component-ref id="scap_org.open-scap_cref_ssg-debian12-oval.xml" xlink:href="#scap_org.open-scap_comp_ssg-debian12-oval.xml"/>\n            </ds:checks>\n'
        "          </ds:data-stream>\n"
        '          <ds:component id="scap_org.open-scap_comp_ssg-debian12-oval.xml" timestamp="2025-01-15T00:00:00">\n'
    )
    out.write(oval_definitions(rng, pools, rules, 12))
    out.write("          </ds:component>\n")
    out.write('          <ds:component id="scap_org.open-scap_comp_ssg-debian12-xccdf.xml" timestamp="2025-01-15T00:00:00">\n')
    out.write(benchmark_head(rng, pools, 12))
    out.write(profile_xml(rules, 14))
    write_benchmark_rules(out, rng, pools, rules, Budget(int(target * 0.25), len(rules)), 14)
    out.write("            </Benchmark>\n          </ds:component>\n        </ds:data-stream-collection>\n      </arf:content>\n    </arf:report-request>\n  </arf:report-requests>\n")
    out.write(
        "  <arf:assets>\n"
        '    <arf:asset id="asset0">\n'
        "      <ai:computing-device>\n"
        "        <ai:connections>\n          <ai:connection>\n            <ai:ip-address>\n              <ai:ip-v4>192.0.2.10</ai:ip-v4>\n            </ai:ip-address>\n"
        "            <ai:mac-address>52:54:00:12:34:56</ai:mac-address>\n          </ai:connection>\n        </ai:connections>\n"
        "        <ai:fqdn>%s.example.mil</ai:fqdn>\n        <ai:hostname>%s</ai:hostname>\n"
        "      </ai:computing-device>\n    </arf:asset>\n  </arf:assets>\n" % (host, host)
    )
    out.write('  <arf:reports>\n    <arf:report id="xccdf1">\n      <arf:content>\n')
    write_test_result(out, rng, pools, rules, Budget(int(target * 0.15), len(rules)), 8, True, host)
    out.write('      </arf:content>\n    </arf:report>\n    <arf:report id="oval0">\n      <arf:content>\n')
    write_oval_results(out, rng, pools, rules, target - 400, 8, host)
    out.write("      </arf:content>\n    </arf:report>\n  </arf:reports>\n</arf:asset-report-collection>\n")
    out.close()
    return {"rules": len(rules), "rule_results": len(rules), "results": count_results(rules)}


# ---------------------------------------------------------------------------------------------
# STIG checklists: CKL (XML) and CKLB (JSON)
# ---------------------------------------------------------------------------------------------

STIGS = [
    # (title, stigid, rule version prefix, vuln count, first vuln number)
    ("Red Hat Enterprise Linux 8 Security Technical Implementation Guide", "RHEL_8_STIG", "RHEL-08-0", 366, 230221),
    ("Microsoft Windows Server 2019 Security Technical Implementation Guide", "MS_Windows_Server_2019_STIG", "WN19-00-0", 268, 205625),
    ("Apache Server 2.4 UNIX Server Security Technical Implementation Guide", "Apache_Server_2-4_UNIX_Server", "AS24-U1-0", 98, 214228),
    ("Google Chrome Current Windows Security Technical Implementation Guide", "Google_Chrome_Current_Windows", "DTBC-0", 124, 221558),
    ("Oracle Database 19c Security Technical Implementation Guide", "Oracle_Database_19c_STIG", "O19C-00-0", 142, 270495),
    ("Microsoft Windows 10 Security Technical Implementation Guide", "Windows_10_STIG", "WN10-00-0", 258, 220697),
    ("Network Device Management Security Requirements Guide", "Network_Device_Management_SRG", "SRG-APP-0", 180, 266123),
    ("Canonical Ubuntu 20.04 LTS Security Technical Implementation Guide", "CAN_Ubuntu_20-04_LTS_STIG", "UBTU-20-0", 196, 238196),
    ("Mozilla Firefox Security Technical Implementation Guide", "MOZ_Firefox_STIG", "FFOX-00-0", 52, 251545),
    ("Microsoft .Net Framework 4.0 Security Technical Implementation Guide", "MS_Dot_Net_Framework", "APPNET0", 16, 225223),
    ("Adobe Acrobat Reader DC Continuous Track Security Technical Implementation Guide", "Adobe_Acrobat_Reader_DC_Continuous_STIG", "ARDC-CN-0", 47, 213168),
]
CKL_STATUSES = [("NotAFinding", 55), ("Open", 20), ("Not_Applicable", 15), ("Not_Reviewed", 10)]
CKLB_STATUS = {"NotAFinding": "not_a_finding", "Open": "open", "Not_Applicable": "not_applicable", "Not_Reviewed": "not_reviewed"}


class Vuln:
    __slots__ = ("num", "rule_id", "rule_ver", "severity", "group_title", "title", "discussion", "check", "fix", "ccis", "static_ckl")


class Stig:
    pass


def make_stigs(seed, ref):
    """The STIG definitions: the same VULN text for every host, as in real checklists."""
    rng = random.Random("%d/stigs" % seed)
    pools = make_pools(rng)
    stigs = []
    for title, stigid, prefix, count, first in STIGS:
        stig = Stig()
        stig.title, stig.stigid, stig.count = title, stigid, count
        stig.version = rng.randint(1, 3)
        stig.release = "Release: %d Benchmark Date: %d %s 2024" % (rng.randint(1, 14), rng.randint(1, 28), rng.choice(["Jan", "Apr", "Jul", "Oct"]))
        stig.uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        stig.vulns = []
        for k in range(count):
            vuln = Vuln()
            vuln.num = "V-%d" % (first + k)
            vuln.rule_id = "SV-%dr%d_rule" % (first + k, rng.randint(100000, 999999))
            vuln.rule_ver = "%s%05d" % (prefix, 10000 + 10 * k)
            vuln.severity = rng.choice(["low", "medium", "medium", "medium", "high"])
            vuln.group_title = "SRG-OS-%06d-GPOS-%05d" % (rng.randint(1, 480), rng.randint(1, 300))
            vuln.title = rng.choice(SENTENCES)
            vuln.discussion = fill(rng, pools["prose"], rng.randint(250, 900))
            vuln.check = fill(rng, pools["prose"], rng.randint(150, 600)) + "\n\n$ sudo grep -i %s %s\n\nIf the value is not set, this is a finding." % (rng.choice(KEYS), rng.choice(PATHS))
            vuln.fix = rng.choice(SENTENCES) + "\n\n" + "\n".join(pools["script"][rng.randrange(200)].split("\n")[3:7])
            req = rng.choice(ref.level2)
            pool = ref.ccis_for[req.id]
            vuln.ccis = sorted(rng.sample(pool, min(len(pool), rng.choice([1, 1, 1, 2, 3]))))
            if rng.random() < 0.04:
                vuln.ccis.append(rng.choice(ref.ccis)[0])
            stig.vulns.append(vuln)
        stig.ref = "%s :: Version %d, %s" % (title, stig.version, stig.release)
        for vuln in stig.vulns:
            vuln.static_ckl = ckl_vuln_static(vuln, stig)
        stig.static_size = sum(len(v.static_ckl) for v in stig.vulns)
        stigs.append(stig)
    return stigs, pools


def stig_data(attribute, value):
    if value == "":
        return "        <STIG_DATA>\n          <VULN_ATTRIBUTE>%s</VULN_ATTRIBUTE>\n          <ATTRIBUTE_DATA/>\n        </STIG_DATA>\n" % attribute
    return "        <STIG_DATA>\n          <VULN_ATTRIBUTE>%s</VULN_ATTRIBUTE>\n          <ATTRIBUTE_DATA>%s</ATTRIBUTE_DATA>\n        </STIG_DATA>\n" % (attribute, esc_q(value))


def ckl_vuln_static(vuln, stig):
    parts = [
        stig_data("Vuln_Num", vuln.num), stig_data("Severity", vuln.severity), stig_data("Weight", "10.0"),
        stig_data("Group_Title", vuln.group_title), stig_data("Rule_ID", vuln.rule_id), stig_data("Rule_Ver", vuln.rule_ver),
        stig_data("Rule_Title", vuln.title), stig_data("Vuln_Discuss", vuln.discussion), stig_data("IA_Controls", ""),
        stig_data("Check_Content", vuln.check), stig_data("Fix_Text", vuln.fix), stig_data("False_Positives", ""),
        stig_data("False_Negatives", ""), stig_data("Documentable", "false"), stig_data("Mitigations", ""),
        stig_data("Potential_Impact", ""), stig_data("Third_Party_Tools", ""), stig_data("Mitigation_Control", ""),
        stig_data("Responsibility", ""), stig_data("Security_Override_Guidance", ""),
        stig_data("Check_Content_Ref", "M"), stig_data("Class", "Unclass"), stig_data("STIGRef", stig.ref),
        stig_data("TargetKey", "2350"), stig_data("STIG_UUID", stig.uuid),
    ]
    parts += [stig_data("CCI_REF", cci) for cci in vuln.ccis]
    return "".join(parts)


def host_identity(rng, index, prefix, digits=4, distinct=False):
    """Host name, IP and MAC of checklist `index`. The IP and MAC are drawn from `rng` (so two
    hosts may share one); with `distinct` they are derived from the index instead (10.a.b.c with
    c in 1..250, a locally administered MAC), after the same draws, so the rest of the file is
    unchanged."""
    host = "%s-%0*d" % (prefix, digits, index)
    ip = "10.%d.%d.%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
    mac = ":".join("%02X" % rng.randrange(256) for _ in range(6))
    if distinct:
        block, last = divmod(index - 1, 250)
        ip = "10.%d.%d.%d" % (block // 256 % 256, block % 256, last + 1)
        mac = "02:00:%02X:%02X:%02X:%02X" % (index >> 24 & 255, index >> 16 & 255, index >> 8 & 255, index & 255)
    return host, ip, mac


def choose_stigs(rng, stigs, limit):
    order = [i for i in rng.sample(range(len(stigs)), len(stigs)) if stigs[i].static_size <= limit] or [
        min(range(len(stigs)), key=lambda i: stigs[i].static_size)]
    # The first STIG is a large one (an operating system or server), so every file has hundreds of VULNs.
    order.sort(key=lambda i: stigs[i].count < 90)
    chosen = [stigs[order[0]]]
    wanted = rng.choice([1, 2, 3, 3])
    for index in order[1:]:
        if len(chosen) >= wanted:
            break
        if sum(s.static_size for s in chosen) + stigs[index].static_size <= limit:
            chosen.append(stigs[index])
    return chosen


def generate_ckl(path, index, seed, stigs, pools, target, digits=4, distinct=False):
    """One checklist. `digits` and `distinct` (see host_identity) serve the distinct-host set;
    the random stream is the ckl set's, so checklist i of both sets differs only in its ASSET."""
    rng = random.Random("%d/ckl/%d" % (seed, index))
    host, ip, mac = host_identity(rng, index, "host", digits, distinct)
    chosen = choose_stigs(rng, stigs, target * 0.9)
    vulns = sum(s.count for s in chosen)
    static = sum(s.static_size for s in chosen)
    out = Out(path)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<!--DISA STIG Viewer :: 2.17-->\n<CHECKLIST>\n  <ASSET>\n')
    out.write(
        "    <ROLE>Member Server</ROLE>\n    <ASSET_TYPE>Computing</ASSET_TYPE>\n    <MARKING>CUI</MARKING>\n"
        "    <HOST_NAME>%s</HOST_NAME>\n    <HOST_IP>%s</HOST_IP>\n    <HOST_MAC>%s</HOST_MAC>\n"
        "    <HOST_FQDN>%s.corp.example.mil</HOST_FQDN>\n    <TARGET_COMMENT></TARGET_COMMENT>\n    <TECH_AREA></TECH_AREA>\n"
        "    <TARGET_KEY>2350</TARGET_KEY>\n    <WEB_OR_DATABASE>false</WEB_OR_DATABASE>\n    <WEB_DB_SITE></WEB_DB_SITE>\n"
        "    <WEB_DB_INSTANCE></WEB_DB_INSTANCE>\n  </ASSET>\n  <STIGS>\n" % (host, ip, mac, host)
    )
    budget = Budget(target - static - 3000 - 600 * len(chosen), vulns)
    counts = {}
    for stig in chosen:
        out.write("    <iSTIG>\n      <STIG_INFO>\n")
        for name, value in [("version", str(stig.version)), ("classification", "UNCLASSIFIED"), ("customname", ""),
                            ("stigid", stig.stigid), ("description", SENTENCES[1]), ("filename", "U_%s_V%dR1_Manual-xccdf.xml" % (stig.stigid, stig.version)),
                            ("releaseinfo", stig.release), ("title", stig.title), ("uuid", stig.uuid),
                            ("notice", "terms-of-use"), ("source", "STIG.DOD.MIL")]:
            if value:
                out.write("        <SI_DATA>\n          <SID_NAME>%s</SID_NAME>\n          <SID_DATA>%s</SID_DATA>\n        </SI_DATA>\n" % (name, esc_q(value)))
            else:
                out.write("        <SI_DATA>\n          <SID_NAME>%s</SID_NAME>\n        </SI_DATA>\n" % name)
        out.write("      </STIG_INFO>\n")
        for vuln in stig.vulns:
            status = weighted_choice(rng, CKL_STATUSES, 100)
            counts[status] = counts.get(status, 0) + 1
            pad = budget.padding(rng, 250)
            details = fill(rng, pools["out_q"], pad * 2 // 3, "") if status != "Not_Reviewed" else ""
            comments = fill(rng, pools["prose_q"], pad // 3, " ") if rng.random() < 0.7 else ""
            text = (
                "      <VULN>\n" + vuln.static_ckl
                + "        <STATUS>%s</STATUS>\n" % status
                + ("        <FINDING_DETAILS>%s</FINDING_DETAILS>\n" % details if details else "        <FINDING_DETAILS></FINDING_DETAILS>\n")
                + ("        <COMMENTS>%s</COMMENTS>\n" % comments if comments else "        <COMMENTS></COMMENTS>\n")
                + "        <SEVERITY_OVERRIDE></SEVERITY_OVERRIDE>\n        <SEVERITY_JUSTIFICATION></SEVERITY_JUSTIFICATION>\n"
                + "      </VULN>\n"
            )
            budget.spent(len(text) - len(vuln.static_ckl))
            out.write(text)
        out.write("    </iSTIG>\n")
    out.write("  </STIGS>\n</CHECKLIST>\n")
    out.close()
    return {"vulns": vulns, "stigs": len(chosen), "statuses": counts, "bytes": out.size}


_CKL_JOB = None  # (seed, stigs, pools, target, digits, distinct), inherited by forked workers


def _write_ckl(task):
    path, relative, index = task
    seed, stigs, pools, target, digits, distinct = _CKL_JOB
    return relative, generate_ckl(path, index, seed, stigs, pools, target, digits, distinct)


def run_jobs(todo, jobs, job):
    """Yields (relative, info) for every checklist task, on `jobs` forked processes (each file
    depends only on its index, so the bytes are the same for any number of processes)."""
    global _CKL_JOB
    _CKL_JOB = job
    if jobs <= 1 or len(todo) < 2:
        for task in todo:
            yield _write_ckl(task)
        return
    import multiprocessing
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for result in pool.imap_unordered(_write_ckl, todo, chunksize=8):
            yield result


def generate_cklb(path, index, seed, stigs, pools):
    rng = random.Random("%d/cklb/%d" % (seed, index))
    host, ip, mac = host_identity(rng, index, "cklb-host")
    chosen = choose_stigs(rng, stigs, 1.2 * MB)
    counts = {}

    def new_uuid():
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    document = {
        "title": "%s checklist" % host,
        "id": new_uuid(),
        "active": False,
        "mode": 1,
        "has_path": True,
        "target_data": {
            "target_type": "Computing", "host_name": host, "ip_address": ip, "mac_address": mac,
            "fqdn": "%s.corp.example.mil" % host, "comments": "", "role": "Member Server",
            "is_web_database": False, "technology_area": "", "web_db_site": "", "web_db_instance": "",
        },
        "stigs": [],
    }
    for stig in chosen:
        stig_uuid = new_uuid()
        rules = []
        for vuln in stig.vulns:
            status = weighted_choice(rng, CKL_STATUSES, 100)
            counts[status] = counts.get(status, 0) + 1
            group = vuln.num
            rules.append({
                "uuid": new_uuid(), "stig_uuid": stig_uuid, "target_key": None, "stig_ref": None,
                "group_id": group, "rule_id": vuln.rule_id.replace("_rule", ""), "rule_id_src": vuln.rule_id,
                "weight": "10.0", "classification": "NONE", "severity": vuln.severity, "rule_version": vuln.rule_ver,
                "group_title": vuln.group_title, "rule_title": vuln.title, "fix_text": vuln.fix,
                "false_positives": None, "false_negatives": None, "discussion": vuln.discussion,
                "check_content": vuln.check, "documentable": "false", "mitigations": None, "potential_impacts": None,
                "third_party_tools": None, "mitigation_control": None, "responsibility": None,
                "security_override_guidance": None, "ia_controls": None,
                "check_content_ref": {"href": "", "name": "M"}, "legacy_ids": [],
                "group_tree": [{"id": group, "title": vuln.group_title, "description": "<GroupDescription></GroupDescription>"}],
                "createdAt": None, "updatedAt": None, "STIGUuid": stig_uuid,
                "status": CKLB_STATUS[status], "overrides": {},
                "comments": pools["prose"][rng.randrange(400)] if rng.random() < 0.5 else "",
                "finding_details": pools["out"][rng.randrange(400)] if status != "Not_Reviewed" else "",
                "ccis": list(vuln.ccis),
            })
        document["stigs"].append({
            "stig_name": stig.title, "display_name": stig.title.replace(" Security Technical Implementation Guide", " STIG"),
            "stig_id": stig.stigid, "version": stig.version, "release_info": stig.release, "uuid": stig_uuid,
            "reference_identifier": "%04d" % rng.randint(1000, 9999), "size": len(rules), "rules": rules,
        })
    text = json.dumps(document, indent=2)
    tmp = path + ".part"
    with open(tmp, "w", encoding="ascii") as handle:
        handle.write(text)
    os.replace(tmp, path)
    return {"vulns": sum(s.count for s in chosen), "stigs": len(chosen), "statuses": counts, "bytes": len(text)}


# ---------------------------------------------------------------------------------------------
# Assessment CSV
# ---------------------------------------------------------------------------------------------

CSV_STATUSES = [
    ("Met", 30), ("MET", 10), ("Implemented", 8), ("Not Met", 10), ("NOT MET", 4), ("Planned", 3),
    ("Partially Implemented", 4), ("N/A", 6), ("Not Applicable", 4), ("Not Assessed", 3), ("Pass", 10), ("Fail", 8),
]
COMMENT_BITS = [
    "Verified in the SSP, section 4.2", "Screenshot attached: \"AD group membership\"", "Interviewed the ISSO, see notes",
    "Inherited from the ESP (FedRAMP Moderate, SSP p. 112)", "Scan of 2025-01-10, 3 hosts, 0 findings",
    "POA&M item 17 opened; target date 2025-06-30", "Policy approved by the CIO, v2.1", "Evidence: firewall rule export, 2 pages",
    "MFA enforced for privileged users only; remote users pending", "Not in scope: no wireless access points on site",
]


def csv_spellings(req, objective, rng):
    """(Requirement, Objective) cells in one of the spellings assessors write."""
    nist = req.nist
    choice = rng.randrange(8)
    if choice == 0:
        return req.id, objective
    if choice == 1:
        return req.id.lower(), objective
    if choice == 2:
        return nist, objective
    if choice == 3:
        return "NIST SP 800-171 %s" % nist, objective
    if choice == 4:
        return "%s[%s]" % (req.id, objective), ""
    if choice == 5:
        return "%s.%s" % (nist, objective), ""
    if choice == 6:
        return "%s(%s)" % (nist, objective), ""
    return nist, "[%s]" % objective


def generate_csv(directory, rows, seed, ref, extra_cut=None):
    """One stream of rows: asset after asset, every Level 2 objective of every requirement.

    Writes assessment-{N}.csv and, when extra_cut is given, a second file with the first
    extra_cut rows of the same stream."""
    rng = random.Random("%d/csv" % seed)
    objectives = [(req, o) for req in ref.level2 for o in req.objectives]
    header = ["Requirement", "Objective", "Status", "Asset", "Comments"]
    names = {rows: os.path.join(directory, "assessment-%s.csv" % human_rows(rows))}
    if extra_cut:
        names[extra_cut] = os.path.join(directory, "assessment-%s.csv" % human_rows(extra_cut))
    handles = {n: open(p + ".part", "w", encoding="utf-8", newline="") for n, p in names.items()}
    writers = {n: csv.writer(h) for n, h in handles.items()}
    for writer in writers.values():
        writer.writerow(header)
    status_total = sum(w for _, w in CSV_STATUSES)
    written = 0
    asset = 0
    counts = {}
    while written < rows:
        asset += 1
        name = "WS-%05d" % asset if asset % 7 else "SRV-%04d" % asset
        buffer = []
        for req, objective in objectives:
            if written + len(buffer) >= rows:
                break
            status = weighted_choice(rng, CSV_STATUSES, status_total)
            counts[status] = counts.get(status, 0) + 1
            requirement, objective_cell = csv_spellings(req, objective, rng)
            comment = rng.choice(COMMENT_BITS) if rng.random() < 0.6 else ""
            if comment and rng.random() < 0.05:
                comment += "\nFollow-up, owner: J. Smith, due 2025-03-31"
            buffer.append([requirement, objective_cell, status, name, comment])
        for n, writer in writers.items():
            if written < n:
                writer.writerows(buffer[: n - written])
        written += len(buffer)
    for handle in handles.values():
        handle.close()
    for n, p in names.items():
        os.replace(p + ".part", p)
    return {human_rows(n): {"rows": n, "bytes": os.path.getsize(p)} for n, p in names.items()}, counts


def human_rows(rows):
    if rows % 1_000_000 == 0:
        return "%dM" % (rows // 1_000_000)
    if rows % 1000 == 0:
        return "%dk" % (rows // 1000)
    return str(rows)


def generate_small_csv(path, seed, ref):
    """One asset, one row per Level 2 requirement: a small file for start-up timing."""
    rng = random.Random("%d/csv-small" % seed)
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Requirement", "Objective", "Status", "Asset", "Comments"])
        for req in ref.level2:
            writer.writerow([req.id, "", weighted_choice(rng, CSV_STATUSES), "WS-00001", rng.choice(COMMENT_BITS)])
    os.replace(tmp, path)
    return {"rows": len(ref.level2), "bytes": os.path.getsize(path)}


# ---------------------------------------------------------------------------------------------
# HDF
# ---------------------------------------------------------------------------------------------

HDF_STATUSES = [("passed", 55), ("failed", 25), ("skipped", 12), ("error", 3)]


NESSUS_RESULTS = [("PASSED", 60), ("FAILED", 25), ("WARNING", 10), ("ERROR", 3), ("SKIPPED", 2)]


def generate_nessus(path, target, seed, ref):
    """A Nessus v2 scan (.nessus) as Tenable Nessus / ACAS exports it: hosts with HostProperties
    tags, a credentialed compliance audit (Policy Compliance items with cm: children and
    800-171 / 800-53 / CCI / STIG references) and vulnerability plugins (Critical to Info, CVEs,
    patch dates, plugin output). Hosts are added until the file reaches `target` bytes."""
    rng = random.Random(seed * 31 + 7)
    results_total = sum(w for _, w in NESSUS_RESULTS)
    reqs = ref.level2
    hosts = items = 0
    with open(path + ".part", "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Policy><policyName>ACAS CMMC L2 credentialed</policyName>'
                  '<Preferences><ServerPreferences><preference><name>max_hosts</name><value>30</value></preference>'
                  '</ServerPreferences></Preferences></Policy>\n<Report name="benchmark scan" xmlns:cm="http://www.nessus.org/cm">\n')
        while out.tell() < target:
            hosts += 1
            ip = "10.%d.%d.%d" % (hosts // 65536 % 256, hosts // 256 % 256, hosts % 256)
            name = "host-%05d" % hosts
            out.write('<ReportHost name="%s"><HostProperties>\n' % ip)
            for tag, value in (("HOST_END_TIMESTAMP", "1718107200"), ("HOST_END", "Tue Jun 11 12:00:00 2024"),
                               ("operating-system", "Microsoft Windows Server 2022 Standard"),
                               ("host-fqdn", name + ".corp.example.com"), ("netbios-name", name.upper()),
                               ("mac-address", "00:50:56:%02x:%02x:%02x" % (hosts % 256, rng.randrange(256), rng.randrange(256))),
                               ("host-ip", ip), ("HOST_START", "Tue Jun 11 11:00:00 2024")):
                out.write('<tag name="%s">%s</tag>\n' % (tag, esc(value)))
            out.write("</HostProperties>\n")
            for number in range(300):
                items += 1
                req = reqs[rng.randrange(len(reqs))]
                result = weighted_choice(rng, NESSUS_RESULTS, results_total)
                cci = rng.choice(ref.ccis_for[req.id])
                control = req.controls[0] if req.controls else "CM-6"
                refs = "800-171|%s,800-53|%s,CCI|%s,CAT|%s,Rule-ID|SV-%dr%d_rule,STIG-ID|WN22-00-%06d,Vuln-ID|V-%d,CSF|PR.AC-1" % (
                    req.nist, control, cci, rng.choice(["I", "II", "III"]), 254000 + number, 848000 + number, number * 10, 254000 + number)
                out.write('<ReportItem port="0" svc_name="general" protocol="tcp" severity="%d" pluginID="21156" '
                          'pluginName="Windows Compliance Checks" pluginFamily="Policy Compliance">\n' % (3 if result == "FAILED" else 0))
                out.write("<compliance>true</compliance>\n<description>%s</description>\n<fname>compliance_check.nbin</fname>\n"
                          "<plugin_name>Windows Compliance Checks</plugin_name>\n<risk_factor>None</risk_factor>\n"
                          % esc(" ".join(rng.choice(SENTENCES) for _ in range(4))))
                out.write("<cm:compliance-check-name>WN22-00-%06d - %s</cm:compliance-check-name>\n" % (number * 10, esc(rng.choice(SENTENCES))))
                out.write("<cm:compliance-audit-file>DISA_STIG_Windows_Server_2022_v1r4.audit</cm:compliance-audit-file>\n")
                out.write("<cm:compliance-actual-value>%d</cm:compliance-actual-value>\n<cm:compliance-policy-value>%d</cm:compliance-policy-value>\n"
                          % (rng.randrange(100), rng.randrange(100)))
                out.write("<cm:compliance-info>%s</cm:compliance-info>\n" % esc(" ".join(rng.choice(SENTENCES) for _ in range(3))))
                out.write("<cm:compliance-result>%s</cm:compliance-result>\n<cm:compliance-reference>%s</cm:compliance-reference>\n"
                          "<cm:compliance-solution>%s</cm:compliance-solution>\n</ReportItem>\n" % (result, refs, esc(rng.choice(SENTENCES))))
            for number in range(200):
                items += 1
                severity = rng.choice([0, 0, 0, 1, 2, 2, 3, 4])
                plugin = 100000 + rng.randrange(90000)
                year, month = rng.choice([2022, 2023, 2024]), rng.randrange(1, 13)
                out.write('<ReportItem port="445" svc_name="cifs" protocol="tcp" severity="%d" pluginID="%d" '
                          'pluginName="Security Update %d" pluginFamily="Windows : Microsoft Bulletins">\n' % (severity, plugin, plugin))
                out.write("<description>%s</description>\n<fname>smb_nt_ms%d.nasl</fname>\n<plugin_name>Security Update %d</plugin_name>\n"
                          "<plugin_publication_date>%d/%02d/01</plugin_publication_date>\n<risk_factor>%s</risk_factor>\n"
                          % (esc(" ".join(rng.choice(SENTENCES) for _ in range(3))), plugin, plugin, year, month,
                             ["None", "Low", "Medium", "High", "Critical"][severity]))
                if severity >= 1:
                    out.write("<cve>CVE-%d-%d</cve>\n<cvss3_base_score>%.1f</cvss3_base_score>\n<patch_publication_date>%d/%02d/%02d</patch_publication_date>\n"
                              % (year, rng.randrange(1000, 50000), 2.0 + 2 * severity, year, month, rng.randrange(1, 28)))
                out.write("<solution>Apply the vendor update.</solution>\n<plugin_output>%s</plugin_output>\n</ReportItem>\n"
                          % esc("\n".join(rng.choice(SENTENCES) for _ in range(5))))
            out.write("</ReportHost>\n")
        out.write("</Report>\n</NessusClientData_v2>\n")
    os.replace(path + ".part", path)
    return {"hosts": hosts, "items": items}


def generate_hdf(path, target, controls_count, seed, ref, stigs):
    rng = random.Random("%d/hdf/%d" % (seed, target))
    pools = make_pools(rng)
    out = Out(path)
    head = {
        "platform": {"name": "redhat", "release": "8.9", "target_id": "hdf-host-01.corp.example.mil"},
        "version": "5.22.29",
        "statistics": {"duration": 812.4187},
    }
    profile_head = {
        "name": "redhat-enterprise-linux-8-stig-baseline", "version": "1.12.0",
        "sha256": "%064x" % rng.getrandbits(256),
        "title": "Red Hat Enterprise Linux 8 Security Technical Implementation Guide", "maintainer": "MITRE SAF Team",
        "summary": SENTENCES[1], "license": "Apache-2.0", "copyright": "MITRE", "copyright_email": "saf@groups.mitre.org",
        "supports": [{"platform-name": "redhat", "release": "8.*"}],
        "attributes": [{"name": "disable_slow_controls", "options": {"value": False}}],
        "status": "loaded",
    }
    out.write('{"platform": %s, "version": %s, "statistics": %s, "profiles": [{' % (
        json.dumps(head["platform"]), json.dumps(head["version"]), json.dumps(head["statistics"])))
    out.write(", ".join("%s: %s" % (json.dumps(k), json.dumps(v)) for k, v in profile_head.items()))
    ids = ["SV-%d" % (230221 + k) for k in range(controls_count)]
    out.write(', "groups": [')
    out.write(", ".join(json.dumps({"id": "controls/%s.rb" % i, "controls": [i]}) for i in ids))
    out.write('], "controls": [')
    budget = Budget(target - out.size - 200, controls_count)
    vulns = [v for s in stigs for v in s.vulns]
    counts = {}
    for k, control_id in enumerate(ids):
        vuln = vulns[k % len(vulns)]
        pad = budget.padding(rng, 3000)
        impact = rng.choice([0.7, 0.5, 0.5, 0.3, 0.0]) if rng.random() > 0.05 else 0.0
        results = []
        result_count = rng.choice([1, 1, 2, 3, 4, 6, 12])
        status = weighted_choice(rng, HDF_STATUSES, 95)
        for r in range(result_count):
            this = status if r == 0 or status == "passed" else rng.choice([status, "passed"])
            counts[this] = counts.get(this, 0) + 1
            result = {"status": this, "code_desc": "%s %s is expected to %s" % (
                rng.choice(["File", "Command", "Package", "Parse Config File"]), rng.choice(PATHS), rng.choice(["exist", "cmp \"no\"", "be installed"])),
                "run_time": round(rng.uniform(0.00001, 0.4), 9), "start_time": "2025-01-15T03:%02d:%02d+00:00" % (rng.randint(0, 59), rng.randint(0, 59))}
            if this == "failed":
                result["message"] = fill(rng, pools["out"], pad // (2 * result_count), "")
            elif this == "skipped":
                result["skip_message"] = "Skipped control due to only_if condition."
                result["resource"] = ""
            elif this == "error":
                result["exception"] = "Inspec::Exceptions::ResourceFailed"
                result["message"] = "Command `grep` failed: " + pools["out"][rng.randrange(400)]
            results.append(result)
        control = {
            "id": control_id,
            "title": vuln.title,
            "desc": vuln.discussion,
            "descriptions": [
                {"label": "default", "data": vuln.discussion}, {"label": "rationale", "data": ""},
                {"label": "check", "data": vuln.check}, {"label": "fix", "data": vuln.fix},
            ],
            "impact": impact,
            "refs": [],
            "tags": {
                "severity": vuln.severity, "gtitle": vuln.group_title, "gid": control_id.replace("SV-", "V-"),
                "rid": vuln.rule_id, "stig_id": vuln.rule_ver, "fix_id": "F-%d" % rng.randint(10000, 99999),
                "cci": list(vuln.ccis), "nist": sorted({ref.cci_control.get(c, "CM-6") for c in vuln.ccis}) + ["Rev_4"],
            },
            "code": "control \"%s\" do\n  title \"%s\"\n  desc \"%s\"\n  impact %s\n%s\nend\n" % (
                control_id, vuln.title, vuln.discussion[:300], impact, fill(rng, pools["script"], pad // 2, "\n")),
            "source_location": {"line": 1, "ref": "./controls/%s.rb" % control_id},
            "waiver_data": {},
            "results": results,
        }
        text = (", " if k else "") + json.dumps(control)
        budget.spent(len(text))
        out.write(text)
    out.write("]}]}\n")
    out.close()
    return {"controls": controls_count, "results": dict(sorted(counts.items()))}


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------

def size_label(nbytes):
    if nbytes >= 1000 * MB and nbytes % (1000 * MB) == 0:
        return "%dGB" % (nbytes // (1000 * MB))
    return "%dMB" % (nbytes // MB) if nbytes >= MB else "%dkB" % (nbytes // 1000)


def parse_size(text):
    text = text.strip().upper()
    for suffix, factor in (("GB", 1000 * MB), ("MB", MB), ("KB", 1000)):
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)]) * factor)
    return int(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", nargs="?", default=os.path.join(ROOT, ".bench", "corpus"))
    parser.add_argument("--quick", action="store_true", help="small sizes only (smoke run)")
    parser.add_argument("--seed", type=int, default=20250115)
    parser.add_argument("--only", default="xccdf,arf,ckl,cklb,csv,hdf", help="comma-separated kinds to generate")
    parser.add_argument("--xml-sizes", help="override XCCDF/ARF sizes, e.g. 2MB,20MB")
    parser.add_argument("--rules", type=int, default=2000, help="Rules per XCCDF/ARF file of 50 MB or more (default 2000; half of it below 50 MB)")
    parser.add_argument("--ckl-count", type=int, help="number of CKL files (default 1000, --quick 100)")
    parser.add_argument("--ckl-size", default="2MB", help="target size of one CKL (default 2MB)")
    parser.add_argument("--hosts-count", type=int, default=10_000,
                        help="number of distinct-host CKL files (default 10000); only with --only hosts")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes writing checklists (default: one per core); the bytes do not depend on it")
    parser.add_argument("--cklb-count", type=int, help="number of CKLB files (default 200, --quick 20)")
    parser.add_argument("--csv-rows", type=int, help="rows of the large CSV (default 1000000, --quick 100000)")
    parser.add_argument("--hdf-size", help="HDF size (default 100MB, --quick 10MB)")
    parser.add_argument("--nessus-size", help="Nessus scan size (default 100MB, --quick 10MB); only with --only nessus")
    parser.add_argument("--cci-list", default=os.path.join(os.path.dirname(ROOT), "shared", "samples", "mapping", "DISA_U_CCI_List_2025-01-23.xml"))
    parser.add_argument("--force", action="store_true", help="regenerate files that exist")
    args = parser.parse_args(argv)

    kinds = set(k.strip() for k in args.only.split(",") if k.strip())
    xml_sizes = [parse_size(s) for s in args.xml_sizes.split(",")] if args.xml_sizes else ([10 * MB] if args.quick else [10 * MB, 100 * MB, 1000 * MB])
    ckl_count = args.ckl_count if args.ckl_count is not None else (100 if args.quick else 1000)
    cklb_count = args.cklb_count if args.cklb_count is not None else (20 if args.quick else 200)
    csv_rows = args.csv_rows if args.csv_rows is not None else (100_000 if args.quick else 1_000_000)
    hdf_size = parse_size(args.hdf_size) if args.hdf_size else (10 * MB if args.quick else 100 * MB)
    ckl_size = parse_size(args.ckl_size)
    hosts_count = args.hosts_count
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")

    outdir = os.path.abspath(args.outdir)
    os.makedirs(outdir, exist_ok=True)
    manifest_path = os.path.join(outdir, "manifest.json")
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as handle:
            manifest = json.load(handle)
    if manifest.get("seed") != args.seed or manifest.get("generator_version") != GENERATOR_VERSION or args.force:
        manifest = {"files": {}}
    ref = Reference(args.cci_list)
    manifest.update({
        "seed": args.seed, "generator_version": GENERATOR_VERSION, "cci_source": ref.cci_source,
        "requirements": len(ref.requirements), "ccis": len(ref.ccis),
    })
    files = manifest.setdefault("files", {})

    def save():
        tmp = manifest_path + ".part"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(tmp, manifest_path)

    def fresh(relative, params):
        path = os.path.join(outdir, relative)
        entry = files.get(relative)
        return (entry and entry.get("params") == params and os.path.exists(path)
                and os.path.getsize(path) == entry.get("bytes"))

    def record(relative, params, info):
        path = os.path.join(outdir, relative)
        info = dict(info)
        info["bytes"] = os.path.getsize(path)
        info["params"] = params
        files[relative] = info
        save()

    def say(text):
        print(text, file=sys.stderr, flush=True)

    for kind, generator in (("xccdf", generate_xccdf), ("arf", generate_arf)):
        if kind not in kinds:
            continue
        os.makedirs(os.path.join(outdir, kind), exist_ok=True)
        for size in xml_sizes:
            relative = "%s/%s-%s.xml" % (kind, kind, size_label(size))
            rules = args.rules if size >= 50 * MB else args.rules // 2
            params = {"target": size, "rules": rules}
            if fresh(relative, params):
                continue
            say("generating %s" % relative)
            info = generator(os.path.join(outdir, relative), size, rules, args.seed, ref)
            info["kind"] = kind
            record(relative, params, info)

    if kinds & {"ckl", "hosts", "cklb", "hdf"}:
        stigs, stig_pools = make_stigs(args.seed, ref)

    def checklists(kind, count, digits, distinct):
        """Writes kind/host-N.ckl for N in 1..count that are missing, on args.jobs processes."""
        os.makedirs(os.path.join(outdir, kind), exist_ok=True)
        params = {"target": ckl_size}
        todo = []
        for index in range(1, count + 1):
            relative = "%s/host-%0*d.ckl" % (kind, digits, index)
            if not fresh(relative, params):
                todo.append((os.path.join(outdir, relative), relative, index))
        say("generating %d of %d %s files on %d process%s" % (len(todo), count, kind, args.jobs, "" if args.jobs == 1 else "es"))
        started = time.monotonic()
        done = 0
        for relative, info in run_jobs(todo, args.jobs, (args.seed, stigs, stig_pools, ckl_size, digits, distinct)):
            info["kind"] = "ckl"
            files[relative] = dict(info, params=params)
            done += 1
            if done % 500 == 0:
                save()
                say("  %d of %d (%.0f s)" % (done, len(todo), time.monotonic() - started))
        save()
        if todo:
            say("generated %d %s files in %.1f s" % (len(todo), kind, time.monotonic() - started))

    if "ckl" in kinds:
        checklists("ckl", ckl_count, 4, False)
    if "hosts" in kinds:
        checklists("hosts", hosts_count, 5, True)

    if "cklb" in kinds:
        os.makedirs(os.path.join(outdir, "cklb"), exist_ok=True)
        say("generating up to %d CKLB files" % cklb_count)
        for index in range(1, cklb_count + 1):
            relative = "cklb/host-%03d.cklb" % index
            params = {}
            if fresh(relative, params):
                continue
            info = generate_cklb(os.path.join(outdir, relative), index, args.seed, stigs, stig_pools)
            info["kind"] = "cklb"
            files[relative] = dict(info, params=params)
        save()

    if "csv" in kinds:
        os.makedirs(os.path.join(outdir, "csv"), exist_ok=True)
        big = "csv/assessment-%s.csv" % human_rows(csv_rows)
        cut = 100_000 if csv_rows > 100_000 else None
        wanted = {big: csv_rows}
        if cut:
            wanted["csv/assessment-%s.csv" % human_rows(cut)] = cut
        if not all(fresh(r, {"rows": n}) for r, n in wanted.items()):
            say("generating %s" % ", ".join(wanted))
            outputs, counts = generate_csv(os.path.join(outdir, "csv"), csv_rows, args.seed, ref, cut)
            for label, info in outputs.items():
                relative = "csv/assessment-%s.csv" % label
                record(relative, {"rows": info["rows"]}, {"kind": "csv", "rows": info["rows"]})
            files[big]["statuses"] = counts
            save()
        small = "csv/assessment-small.csv"
        if not fresh(small, {}):
            info = generate_small_csv(os.path.join(outdir, small), args.seed, ref)
            record(small, {}, {"kind": "csv", "rows": info["rows"]})

    if "hdf" in kinds:
        os.makedirs(os.path.join(outdir, "hdf"), exist_ok=True)
        relative = "hdf/hdf-%s.json" % size_label(hdf_size)
        controls = min(2500, max(200, hdf_size // 10_000))
        params = {"target": hdf_size, "controls": controls}
        if not fresh(relative, params):
            say("generating %s" % relative)
            info = generate_hdf(os.path.join(outdir, relative), hdf_size, controls, args.seed, ref, stigs)
            info["kind"] = "hdf"
            record(relative, params, info)
    if "nessus" in kinds:
        os.makedirs(os.path.join(outdir, "nessus"), exist_ok=True)
        size = parse_size(args.nessus_size) if args.nessus_size else (10 * MB if args.quick else 100 * MB)
        relative = "nessus/scan-%s.nessus" % size_label(size)
        params = {"target": size}
        if not fresh(relative, params):
            say("generating %s" % relative)
            info = generate_nessus(os.path.join(outdir, relative), size, args.seed, ref)
            info["kind"] = "nessus"
            record(relative, params, info)
    save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
