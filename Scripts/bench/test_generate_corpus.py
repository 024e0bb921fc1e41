#!/usr/bin/env python3
"""Checks the benchmark corpus generator on small sizes (a few seconds).

    python3 Scripts/bench/test_generate_corpus.py

Every check reads the generated files independently of the generator's own bookkeeping:
xmllint for well-formedness and XPath counts, ElementTree / json / csv for structure. The
real DISA CCI list and the samples in ../shared are used when present.
"""

import collections
import csv
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GENERATOR = os.path.join(HERE, "generate_corpus.py")
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "samples")
CCI_LIST = os.path.join(SHARED, "mapping", "DISA_U_CCI_List_2025-01-23.xml")
XCCDF_NS = "{http://checklists.nist.gov/xccdf/1.2}"
NIST_171 = "http://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-171.pdf"
MB = 1_000_000
ARGS = ["--xml-sizes", "10MB", "--ckl-count", "6", "--cklb-count", "3", "--csv-rows", "120000", "--hdf-size", "5MB"]


def generate(outdir, *extra):
    subprocess.run([sys.executable, GENERATOR, outdir, *ARGS, *extra], check=True, stderr=subprocess.DEVNULL)


def xpath_count(path, expression):
    out = subprocess.run(["xmllint", "--xpath", expression, path], check=True, capture_output=True, text=True)
    return int(float(out.stdout.strip()))


def level2_numbers():
    numbers = set()
    for path in glob.glob(os.path.join(ROOT, "controls", "level2", "*.json")):
        with open(path, encoding="utf-8") as handle:
            numbers.update(r["nist_id"] for r in json.load(handle))
    return numbers


def real_ccis():
    if not os.path.exists(CCI_LIST):
        return None
    with open(CCI_LIST, encoding="utf-8") as handle:
        return set(re.findall(r'<cci_item id="(CCI-\d{6})"', handle.read()))


class GeneratedCorpus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="poam-corpus-")
        generate(cls.dir)
        cls.ccis = real_ccis()
        cls.numbers = level2_numbers()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def path(self, relative):
        return os.path.join(self.dir, relative)

    def test_xml_is_well_formed(self):
        files = glob.glob(self.path("xccdf/*.xml")) + glob.glob(self.path("arf/*.xml")) + glob.glob(self.path("ckl/*.ckl"))
        self.assertEqual(len(files), 2 + 6)
        for path in files:
            result = subprocess.run(["xmllint", "--noout", path], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, "%s: %s" % (path, result.stderr[:500]))

    def test_sizes_are_near_the_targets(self):
        for relative in ("xccdf/xccdf-10MB.xml", "arf/arf-10MB.xml"):
            size = os.path.getsize(self.path(relative))
            self.assertTrue(9 * MB <= size <= 11 * MB, "%s is %d bytes" % (relative, size))
        for path in glob.glob(self.path("ckl/*.ckl")):
            size = os.path.getsize(path)
            self.assertTrue(1.8 * MB <= size <= 2.2 * MB, "%s is %d bytes" % (path, size))
        size = os.path.getsize(self.path("hdf/hdf-5MB.json"))
        self.assertTrue(4.5 * MB <= size <= 5.5 * MB, "hdf is %d bytes" % size)

    def check_rules_and_results(self, path, rules_xpath, results_xpath):
        rules = xpath_count(path, "count(%s)" % rules_xpath)
        results = xpath_count(path, "count(%s)" % results_xpath)
        self.assertEqual(rules, 1000)  # 10 MB files carry half of the default 2,000 rules
        self.assertEqual(results, rules)
        kinds = collections.Counter()
        referenced = set()
        cci_idents = set()
        rule_ids = set()
        for _, element in ET.iterparse(path):
            tag = element.tag
            if tag == XCCDF_NS + "Rule":
                refs = [r.text for r in element.findall(XCCDF_NS + "reference") if r.get("href") == NIST_171]
                self.assertTrue(refs, "Rule %s has no NIST SP 800-171 reference" % element.get("id"))
                referenced.update(refs)
                idents = [i.text for i in element.findall(XCCDF_NS + "ident") if i.get("system") == "http://cyber.mil/cci"]
                self.assertTrue(idents, "Rule %s has no CCI ident" % element.get("id"))
                cci_idents.update(idents)
                rule_ids.add(element.get("id"))
                element.clear()
            elif tag == XCCDF_NS + "rule-result":
                kinds[element.find(XCCDF_NS + "result").text] += 1
                self.assertIn(element.get("idref"), rule_ids)
                element.clear()
            elif tag.endswith("}system_data") or tag.endswith("}oval_definitions"):
                element.clear()
        self.assertEqual(len(rule_ids), rules, "rule IDs are unique")
        self.assertEqual(
            set(kinds),
            {"pass", "fail", "error", "unknown", "notapplicable", "notchecked", "notselected", "informational", "fixed"})
        self.assertTrue(referenced <= self.numbers, sorted(referenced - self.numbers)[:5])
        self.assertGreater(len(referenced), 60, "references spread over most Level 2 requirements")
        if self.ccis is not None:
            self.assertTrue(cci_idents <= self.ccis, sorted(cci_idents - self.ccis)[:5])

    def test_xccdf_results(self):
        path = self.path("xccdf/xccdf-10MB.xml")
        self.check_rules_and_results(
            path, "//*[local-name()='Rule']", "/*[local-name()='Benchmark']/*[local-name()='TestResult']/*[local-name()='rule-result']")
        self.assertEqual(xpath_count(path, "count(//*[local-name()='TestResult'])"), 1)
        self.assertGreater(xpath_count(path, "count(//*[local-name()='message'])"), 100)

    def test_arf_layout(self):
        path = self.path("arf/arf-10MB.xml")
        self.check_rules_and_results(
            path,
            "//*[local-name()='data-stream-collection']//*[local-name()='Rule']",
            "//*[local-name()='report'][@id='xccdf1']/*[local-name()='content']/*[local-name()='TestResult']/*[local-name()='rule-result']")
        root = subprocess.run(["xmllint", "--xpath", "name(/*)", path], capture_output=True, text=True, check=True).stdout.strip()
        self.assertEqual(root, "arf:asset-report-collection")
        self.assertEqual(xpath_count(path, "count(//*[local-name()='asset'][@id='asset0']//*[local-name()='hostname'])"), 1)
        items = xpath_count(path, "count(//*[local-name()='report'][@id='oval0']//*[local-name()='system_data']/*)")
        self.assertGreater(items, 1000)
        self.assertEqual(
            xpath_count(path, "count(//*[local-name()='rule-result']//*[local-name()='check-content-ref'][@href!='#oval0'])"), 0)

    def test_ckl_checklists(self):
        hosts = set()
        for path in sorted(glob.glob(self.path("ckl/*.ckl"))):
            root = ET.parse(path).getroot()
            self.assertEqual(root.tag, "CHECKLIST")
            hosts.add(root.findtext("ASSET/HOST_NAME"))
            istigs = root.findall("STIGS/iSTIG")
            self.assertTrue(1 <= len(istigs) <= 3)
            vulns = root.findall("STIGS/iSTIG/VULN")
            self.assertGreaterEqual(len(vulns), 90)
            for vuln in vulns:
                data = {}
                for item in vuln.findall("STIG_DATA"):
                    data.setdefault(item.findtext("VULN_ATTRIBUTE"), []).append(item.findtext("ATTRIBUTE_DATA"))
                self.assertTrue(data["Vuln_Num"][0].startswith("V-"))
                self.assertTrue(data["CCI_REF"])
                if self.ccis is not None:
                    self.assertTrue(set(data["CCI_REF"]) <= self.ccis)
                self.assertIn(vuln.findtext("STATUS"), {"NotAFinding", "Open", "Not_Applicable", "Not_Reviewed"})
                self.assertIsNotNone(vuln.find("FINDING_DETAILS"))
                self.assertIsNotNone(vuln.find("COMMENTS"))
        self.assertEqual(len(hosts), 6, "one asset per host")

    def test_cklb_checklists(self):
        sample_keys = None
        sample = os.path.join(SHARED, "cklb", "smcm_Asset_a-multi-stig.cklb")
        if os.path.exists(sample):
            with open(sample, encoding="utf-8") as handle:
                data = json.load(handle)
            sample_keys = (set(data), set(data["target_data"]), set(data["stigs"][0]) , set(data["stigs"][0]["rules"][0]))
        for path in glob.glob(self.path("cklb/*.cklb")):
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            rules = [r for s in data["stigs"] for r in s["rules"]]
            self.assertGreater(len(rules), 90)
            self.assertTrue({r["status"] for r in rules} <= {"not_a_finding", "open", "not_applicable", "not_reviewed"})
            self.assertTrue(all(r["ccis"] for r in rules))
            if sample_keys:
                self.assertEqual(set(data), sample_keys[0])
                self.assertEqual(set(data["target_data"]), sample_keys[1])
                self.assertEqual(set(data["stigs"][0]), sample_keys[2])
                self.assertEqual(set(rules[0]), sample_keys[3])

    def test_csv_rows(self):
        with open(self.path("csv/assessment-120k.csv"), encoding="utf-8", newline="") as handle:
            big = list(csv.reader(handle))
        with open(self.path("csv/assessment-100k.csv"), encoding="utf-8", newline="") as handle:
            cut = list(csv.reader(handle))
        self.assertEqual(big[0], ["Requirement", "Objective", "Status", "Asset", "Comments"])
        self.assertEqual(len(big) - 1, 120_000)
        self.assertEqual(len(cut) - 1, 100_000)
        self.assertEqual(cut, big[: len(cut)], "the 100k file is the head of the large one")
        self.assertTrue(all(len(row) == 5 for row in big))
        spellings = collections.Counter()
        for requirement, objective, *_ in big[1:2000]:
            if re.fullmatch(r"[A-Z]{2}\.L2-3\.\d+\.\d+", requirement):
                spellings["cmmc"] += 1
            elif re.fullmatch(r"[a-z]{2}\.l2-3\.\d+\.\d+", requirement):
                spellings["lower"] += 1
            elif re.fullmatch(r"3\.\d+\.\d+", requirement):
                spellings["nist"] += 1
            elif requirement.startswith("NIST SP 800-171 "):
                spellings["prefixed"] += 1
            elif "[" in requirement or "(" in requirement or re.fullmatch(r"3\.\d+\.\d+\.[a-z]", requirement):
                spellings["objective-in-id"] += 1
            else:
                self.fail("unexpected spelling %r" % requirement)
        self.assertEqual(len(spellings), 5, spellings)
        self.assertGreater(sum(1 for row in big if "\n" in row[4]), 100, "some comments span lines")

    def test_small_csv(self):
        with open(self.path("csv/assessment-small.csv"), encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        self.assertEqual(len(rows) - 1, 110)

    def test_hdf(self):
        with open(self.path("hdf/hdf-5MB.json"), encoding="utf-8") as handle:
            data = json.load(handle)
        self.assertEqual(set(data), {"platform", "profiles", "statistics", "version"})
        controls = data["profiles"][0]["controls"]
        self.assertEqual(len(controls), 500)
        statuses = collections.Counter(r["status"] for c in controls for r in c["results"])
        self.assertEqual(set(statuses), {"passed", "failed", "skipped", "error"})
        self.assertTrue(all(c["tags"]["cci"] for c in controls))
        self.assertEqual(len(data["profiles"][0]["groups"]), len(controls))

    def test_same_seed_same_bytes(self):
        other = tempfile.mkdtemp(prefix="poam-corpus-")
        try:
            generate(other, "--only", "xccdf,ckl,csv")

            def digest(base, relative):
                with open(os.path.join(base, relative), "rb") as handle:
                    return hashlib.sha256(handle.read()).hexdigest()

            for relative in ("xccdf/xccdf-10MB.xml", "ckl/host-0003.ckl", "csv/assessment-120k.csv"):
                self.assertEqual(digest(self.dir, relative), digest(other, relative), relative)
        finally:
            shutil.rmtree(other)

    def test_second_run_keeps_files(self):
        before = os.stat(self.path("arf/arf-10MB.xml")).st_mtime_ns
        generate(self.dir)
        self.assertEqual(os.stat(self.path("arf/arf-10MB.xml")).st_mtime_ns, before)


class DistinctHosts(unittest.TestCase):
    """The distinct-host checklist set (--only hosts) for run.sh --hosts."""

    COUNT = 12

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="poam-hosts-")
        cls.serial = os.path.join(cls.dir, "serial")
        cls.parallel = os.path.join(cls.dir, "parallel")
        common = ["--only", "hosts,ckl", "--hosts-count", str(cls.COUNT), "--ckl-count", "3"]
        for outdir, jobs in ((cls.serial, "1"), (cls.parallel, "2")):
            subprocess.run([sys.executable, GENERATOR, outdir, *common, "--jobs", jobs], check=True, stderr=subprocess.DEVNULL)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def files(self, base):
        return sorted(glob.glob(os.path.join(base, "hosts", "*.ckl")))

    def test_names_and_count(self):
        names = [os.path.basename(p) for p in self.files(self.serial)]
        self.assertEqual(names, ["host-%05d.ckl" % i for i in range(1, self.COUNT + 1)])

    def test_every_host_is_distinct(self):
        fields = collections.defaultdict(list)
        for path in self.files(self.serial):
            asset = ET.parse(path).getroot().find("ASSET")
            for name in ("HOST_NAME", "HOST_IP", "HOST_FQDN", "HOST_MAC"):
                fields[name].append(asset.findtext(name))
            self.assertEqual(asset.findtext("HOST_NAME"), os.path.basename(path)[: -len(".ckl")])
        for name, values in fields.items():
            self.assertEqual(len(set(values)), self.COUNT, "%s repeats: %s" % (name, values))
            self.assertTrue(all(values), name)

    def test_identity_is_distinct_at_ten_thousand_and_more(self):
        sys.path.insert(0, HERE)
        try:
            import generate_corpus
        finally:
            sys.path.remove(HERE)
        import random
        seen = {"host": set(), "ip": set(), "mac": set()}
        for index in range(1, 20_001):
            host, ip, mac = generate_corpus.host_identity(random.Random(index), index, "host", 5, True)
            for key, value in (("host", host), ("ip", ip), ("mac", mac)):
                self.assertNotIn(value, seen[key], "%s repeats at %d" % (key, index))
                seen[key].add(value)
            octets = [int(x) for x in ip.split(".")]
            self.assertTrue(octets[0] == 10 and all(0 <= x <= 255 for x in octets) and 1 <= octets[3] <= 250, ip)

    def test_shape_and_size_like_the_ckl_set(self):
        for path in self.files(self.serial):
            size = os.path.getsize(path)
            self.assertTrue(1.8 * MB <= size <= 2.2 * MB, "%s is %d bytes" % (path, size))
            result = subprocess.run(["xmllint", "--noout", path], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, "%s: %s" % (path, result.stderr[:500]))
            root = ET.parse(path).getroot()
            self.assertTrue(1 <= len(root.findall("STIGS/iSTIG")) <= 3)
            vulns = root.findall("STIGS/iSTIG/VULN")
            self.assertTrue(90 <= len(vulns) <= 400, len(vulns))
            self.assertTrue(all(v.find("STIG_DATA") is not None for v in vulns))

    def test_same_bytes_for_any_number_of_processes(self):
        serial, parallel = self.files(self.serial), self.files(self.parallel)
        self.assertEqual([os.path.basename(p) for p in serial], [os.path.basename(p) for p in parallel])
        for a, b in zip(serial, parallel):
            with open(a, "rb") as left, open(b, "rb") as right:
                self.assertEqual(hashlib.sha256(left.read()).digest(), hashlib.sha256(right.read()).digest(), a)

    def test_differs_from_the_ckl_set_only_in_the_asset(self):
        for index in range(1, 4):
            with open(os.path.join(self.serial, "ckl", "host-%04d.ckl" % index), encoding="ascii") as handle:
                ckl = handle.read().split("\n")
            with open(os.path.join(self.serial, "hosts", "host-%05d.ckl" % index), encoding="ascii") as handle:
                hosts = handle.read().split("\n")
            self.assertEqual(len(ckl), len(hosts))
            changed = [a.strip().split(">")[0] for a, b in zip(ckl, hosts) if a != b]
            self.assertEqual(changed, ["<HOST_NAME", "<HOST_IP", "<HOST_MAC", "<HOST_FQDN"])

    def test_second_run_keeps_files(self):
        path = self.files(self.serial)[0]
        before = os.stat(path).st_mtime_ns
        subprocess.run([sys.executable, GENERATOR, self.serial, "--only", "hosts", "--hosts-count", str(self.COUNT)],
                       check=True, stderr=subprocess.DEVNULL)
        self.assertEqual(os.stat(path).st_mtime_ns, before)


if __name__ == "__main__":
    if shutil.which("xmllint") is None:
        sys.exit("xmllint is missing: apt-get install libxml2-utils")
    unittest.main()
