#!/usr/bin/env python3
"""Writes labels.json for the corpus cases from the samples themselves, by the plain reading a person does
(split on blanks, pick the row by its name and the field under its header), independent of the engine.

labels.json:
  samples: how many samples (1.txt .. N.txt)
  named:   what a user names in sample 1 and what each sample then holds:
           {"name", "line" (1-based, in sample 1), "column" (0-based character of the value in that line),
            "value" (as written in sample 1's text),
            "values": [decimal string or null (the row or column is gone), one per sample]}
  cells:   the table cells a person expects automatic datapoints for:
           {"row", "column", "lines": [line of the row per sample or null], "values": [...]}
Usage: label.py CASE_DIR...  (the case is the directory's name)
"""
import json, os, re, sys
from decimal import Decimal

UNIT = re.compile(r'^(-?[0-9.,]+)(%|[KMGTP]i?B?|B|k|ms|s)?$')

def dec(tok, comma=False):
    m = UNIT.match(tok.rstrip(','))
    if not m:
        return None
    t = m.group(1)
    if comma:
        t = t.replace('.', '').replace(',', '.')
    return str(Decimal(t))

class Sample:
    def __init__(self, path):
        self.text = open(path, encoding='utf-8', newline='').read()
        self.lines = self.text.replace('\r\n', '\n').split('\n')
    def find(self, pred):
        """(1-based line, fields) of every line whose fields satisfy pred."""
        return [(i + 1, l.split()) for i, l in enumerate(self.lines) if l.split() and pred(l.split(), l)]

def one(rows):
    return rows[0] if len(rows) == 1 else None

class Case:
    def __init__(self, d):
        self.dir = d
        n = len([f for f in os.listdir(d) if re.fullmatch(r'\d+\.txt', f)])
        self.samples = [Sample(os.path.join(d, f'{i}.txt')) for i in range(1, n + 1)]
        self.named, self.cells = [], {}
        self.comma = False

    def name(self, name, locate):
        """locate(sample) -> (line, token) or None."""
        vals = []
        for s in self.samples:
            r = locate(s)
            vals.append(dec(r[1], self.comma) if r else None)
        first = locate(self.samples[0])
        assert first, (self.dir, name)
        self.named.append({"name": name, "line": first[0], "column": first[2], "value": first[1].rstrip(','), "values": vals})

    def cell(self, k, row, column, line, token):
        c = self.cells.setdefault((row, column), {"row": row, "column": column, "lines": [None] * len(self.samples), "values": [None] * len(self.samples)})
        c["lines"][k] = line
        c["values"][k] = dec(token, self.comma)

    def table(self, header_pred, row_key, first_value, header_offset=0, rows=None):
        """Cells of whitespace tables: header fields from header_offset map to row fields from first_value."""
        for k, s in enumerate(self.samples):
            header = None
            for i, l in enumerate(s.lines):
                f = l.split()
                if not f:
                    header = None
                    continue
                if header_pred(f, l):
                    header = f[header_offset:]
                    continue
                if header is None:
                    continue
                key = row_key(f, l)
                if key is None or (rows is not None and key not in rows):
                    continue
                vals = f[first_value:first_value + len(header)]
                for col, tok in zip(header, vals):
                    if dec(tok, self.comma) is not None:
                        self.cell(k, key, col, i + 1, tok)

    def kv(self, pattern, keys=None):
        for k, s in enumerate(self.samples):
            for i, l in enumerate(s.lines):
                m = re.match(pattern, l)
                if m and (keys is None or m.group(1) in keys) and dec(m.group(2), self.comma) is not None:
                    self.cell(k, m.group(1), '', i + 1, m.group(2))

    def write(self):
        out = {"samples": len(self.samples), "named": self.named, "cells": list(self.cells.values())}
        with open(os.path.join(self.dir, 'labels.json'), 'w') as f:
            json.dump(out, f, indent=1)
            f.write('\n')

def field_of(header_word, data_offset=0, header_pred=None, pick=None):
    """locate: the field under header_word of the row pick(fields) selects, in the table headed by header_pred."""
    def locate(s):
        hdr = None
        found = []
        for i, l in enumerate(s.lines):
            f = l.split()
            if not f:
                continue
            if header_pred(f, l):
                hdr = f
                continue
            if hdr and pick(f, l) and header_word in hdr:
                j = hdr.index(header_word) + data_offset
                if j < len(f):
                    found.append((i + 1, f[j], [m.start() for m in re.finditer(r'\S+', l)][j]))
        return found[0] if len(found) == 1 else None
    return locate

def line_token(pred, index):
    def locate(s):
        r = one(s.find(pred))
        if not r:
            return None
        line = s.lines[r[0] - 1]
        m = [m for m in re.finditer(r'[^\s,/=]+', line)][index]
        return (r[0], m.group(0), m.start())
    return locate

def regex_token(pattern):
    def locate(s):
        for i, l in enumerate(s.lines):
            m = re.search(pattern, l)
            if m:
                return (i + 1, m.group(1), m.start(1))
        return None
    return locate

def df(c, used='Used', avail='Available', pct='Use%', first='1K-blocks'):
    hp = lambda f, l: f[0] == 'Filesystem'
    mount = lambda m: (lambda f, l: f[-1] == m)
    c.name(f'root_{used.lower()}', field_of(used, 0, hp, mount('/')))
    c.name(f'root_{avail.lower()}', field_of(avail, 0, hp, mount('/')))
    c.name('shm_pct', field_of(pct, 0, hp, mount('/dev/shm')))
    c.name('cgroup_size', field_of(first, 0, hp, mount('/sys/fs/cgroup')))
    c.table(hp, lambda f, l: f[-1], 1, 1)

def case(name, c):
    s_hdr = lambda f, l: 'CPU' in f and '%idle' in f
    if name == 'df':
        df(c)
    elif name == 'dfi':
        df(c, 'IUsed', 'IFree', 'IUse%', 'Inodes')
    elif name in ('free', 'freeh'):
        hp = lambda f, l: f[0] == 'total'
        row = lambda r: (lambda f, l: f[0] == r)
        c.name('mem_used', field_of('used', 1, hp, row('Mem:')))
        c.name('mem_available', field_of('available', 1, hp, row('Mem:')))
        c.name('swap_total', field_of('total', 1, hp, row('Swap:')))
        c.table(hp, lambda f, l: f[0].rstrip(':'), 1)
    elif name == 'vmstat':
        hp = lambda f, l: f[0] == 'r'
        for col in ('free', 'us', 'id', 'bo'):
            c.name(col, first_row(col))
        for k, s in enumerate(c.samples):
            h = next(i for i, l in enumerate(s.lines) if l.split() and l.split()[0] == 'r')
            hf, df_ = s.lines[h].split(), s.lines[h + 1].split()
            for col, tok in zip(hf, df_):
                c.cell(k, 'first', col, h + 2, tok)
    elif name == 'iostat':
        hp = lambda f, l: f[0] in ('Device', 'avg-cpu:')
        dev = lambda d: (lambda f, l: f[0] == d)
        c.name('vda_util', field_of('%util', 0, hp, dev('vda')))
        c.name('vda_wkbs', field_of('wkB/s', 0, hp, dev('vda')))
        c.name('cpu_idle', field_of('%idle', -1, hp, lambda f, l: l.startswith('     ')))
        c.name('cpu_iowait', field_of('%iowait', -1, hp, lambda f, l: l.startswith('     ')))
        c.table(lambda f, l: f[0] == 'Device', lambda f, l: f[0], 1, 1)
        c.table(lambda f, l: f[0] == 'avg-cpu:', lambda f, l: 'avg-cpu', 0, 1)
    elif name == 'ps':
        hp = lambda f, l: f[0] == 'USER'
        cmd = lambda text: (lambda f, l: ' '.join(f[10:]) == text)
        c.name('build_rss', field_of('RSS', 0, hp, cmd('dotnet build src/Komlogd.Core -nologo -v quiet')))
        c.name('build_cpu', field_of('%CPU', 0, hp, cmd('dotnet build src/Komlogd.Core -nologo -v quiet')))
        c.name('kdamond_cpu', field_of('%CPU', 0, hp, cmd('[kdamond.0]')))
        c.name('capture_vsz', field_of('VSZ', 0, hp, lambda f, l: ' '.join(f[10:12]) == 'bash capture.sh'))
    elif name == 'pscomm':
        hp = lambda f, l: f[0] == 'COMMAND'
        c.name('ps_rss', field_of('RSS', 0, hp, lambda f, l: f[0] == 'ps'))
        c.name('ps_mem', field_of('%MEM', 0, hp, lambda f, l: f[0] == 'ps'))
        c.table(hp, lambda f, l: f[0] if sum(1 for x in l_all(c, l) if x == f[0]) == 1 else None, 1, 1)
    elif name == 'top':
        c.name('tasks_total', regex_token(r'^Tasks:\s+(\d+) total'))
        c.name('cpu_idle', regex_token(r'^%Cpu\(s\):.*?([\d.]+) id,'))
        c.name('mem_free', regex_token(r'^\w+ Mem :.*?([\d.]+) free,'))
        c.name('load1', regex_token(r'load average: ([\d.]+),'))
        c.name('avail_mem', regex_token(r'([\d.]+) avail Mem'))
    elif name == 'uptime':
        c.name('load1', regex_token(r'load average: ([\d.]+),'))
        c.name('load5', regex_token(r'load average: [\d.]+, ([\d.]+),'))
        c.name('load15', regex_token(r'load average: [\d.]+, [\d.]+, ([\d.]+)'))
        c.name('users', regex_token(r'(\d+) users?,'))
    elif name in ('meminfo', 'procstatus'):
        if name == 'meminfo':
            for k in ('MemAvailable', 'Dirty', 'Cached', 'AnonPages'):
                c.name(k, regex_token(rf'^{k}:\s+(\d+)'))
            c.kv(r'^([A-Za-z0-9_()]+):\s+(\d+)(?: kB)?$')
        else:
            for k in ('VmRSS', 'VmSize', 'Threads', 'RssAnon'):
                c.name(k, regex_token(rf'^{k}:\s+(\d+)'))
            c.kv(r'^((?:Vm|Rss|Huge)\w*|Threads|FDSize|voluntary_ctxt_switches|nonvoluntary_ctxt_switches):\s+(\d+)(?: kB)?$')
    elif name == 'netstat':
        hp = lambda f, l: f[0] == 'Iface'
        iface = lambda n: (lambda f, l: f[0] == n)
        c.name('lo_rx', field_of('RX-OK', 0, hp, iface('lo')))
        c.name('eth0_tx', field_of('TX-OK', 0, hp, iface('eth0')))
        c.name('lo_mtu', field_of('MTU', 0, hp, iface('lo')))
        c.table(hp, lambda f, l: f[0], 1, 1)
    elif name in ('sar', 'sar_de', 'sardev', 'mpstat_de'):
        c.comma = name.endswith('_de')
        avg = 'Durchschn.:' if c.comma else 'Average:'
        if name == 'sardev':
            hp = lambda f, l: 'IFACE' in f
            row = lambda n: (lambda f, l: f[0] == avg and f[1] == n)
            c.name('eth0_rxpck', field_of('rxpck/s', 0, hp, row('eth0')))
            c.name('lo_rxkb', field_of('rxkB/s', 0, hp, row('lo')))
            c.table(hp, lambda f, l: f[0] + ' ' + f[1] if f[0] == avg else None, 2, 2)
        else:
            hp = lambda f, l: ('CPU' in f and ('%idle' in f)) or 'kbmemfree' in f
            row = lambda n: (lambda f, l: f[0] == avg and f[1] == n)
            c.name('avg_idle', field_of('%idle', 0, hp, row('all')))
            if name == 'mpstat_de':
                c.name('avg_usr', field_of('%usr', 0, hp, row('all')))
                c.name('cpu0_idle', field_of('%idle', 0, hp, row('0')))
            else:
                c.name('avg_user', field_of('%user', 0, hp, row('all')))
                c.name('avg_system', field_of('%system', 0, hp, row('all')))
            c.table(lambda f, l: 'CPU' in f and '%idle' in f, lambda f, l: f[0] + ' ' + f[1] if f[0] == avg and f[1] == 'all' else None, 2, 2)
            c.table(lambda f, l: 'kbmemfree' in f, lambda f, l: f[0] if f[0] == avg else None, 1, 1)
    elif name in ('redis', 'redisstats'):
        keys = ('used_memory', 'used_memory_dataset', 'mem_fragmentation_ratio', 'allocator_frag_ratio') if name == 'redis' \
            else ('total_commands_processed', 'keyspace_misses', 'total_net_input_bytes')
        for k in keys:
            c.name(k, regex_token(rf'^{k}:([\d.]+)\r?$'))
        c.kv(r'^(\w+):(\d+(?:\.\d+)?%?)$')
    elif name == 'loadavg':
        for i, k in enumerate(('load1', 'load5', 'load15')):
            c.name(k, line_token(lambda f, l: True, i))
    elif name == 'ping':
        c.name('transmitted', regex_token(r'^(\d+) packets transmitted'))
        c.name('loss', regex_token(r'(\d+)% packet loss'))
        c.name('time', regex_token(r'time (\d+)ms'))
        c.name('rtt_avg', regex_token(r'= [\d.]+/([\d.]+)/'))
        c.name('rtt_mdev', regex_token(r'/([\d.]+) ms$'))
    elif name == 'dd':
        c.name('bytes', regex_token(r'^(\d+) bytes'))
        c.name('seconds', regex_token(r'copied, ([\d.]+) s,'))
        c.name('rate', regex_token(r's, ([\d.]+) [KMG]B/s'))
    elif name == 'procnetdev':
        def dev(n, col):
            def locate(s):
                for i, l in enumerate(s.lines):
                    f = l.replace(':', ' ').split()
                    if f and f[0] == n:
                        return (i + 1, f[col], [m.start() for m in re.finditer(r'\S+', l.replace(':', ' '))][col])
                return None
            return locate
        c.name('eth0_rx_bytes', dev('eth0', 1))
        c.name('lo_tx_packets', dev('lo', 10))
        cols = ['rx_bytes', 'rx_packets', 'rx_errs', 'rx_drop', 'rx_fifo', 'rx_frame', 'rx_compressed', 'rx_multicast',
                'tx_bytes', 'tx_packets', 'tx_errs', 'tx_drop', 'tx_fifo', 'tx_colls', 'tx_carrier', 'tx_compressed']
        for k, s in enumerate(c.samples):
            for i, l in enumerate(s.lines[2:]):
                f = l.replace(':', ' ').split()
                for col, tok in zip(cols, f[1:]):
                    c.cell(k, f[0], col, i + 3, tok)
    else:
        raise SystemExit(f'no labels for {name}')

def l_all(c, line):
    """The first words of the rows of the sample holding line (pscomm: a row is labelled only when its name is unique)."""
    for s in c.samples:
        if line in s.lines:
            return [l.split()[0] for l in s.lines[1:] if l.split()]
    return []

def first_row(col):
    def locate(s):
        h = next(i for i, l in enumerate(s.lines) if l.split() and l.split()[0] == 'r')
        hf, df_ = s.lines[h].split(), s.lines[h + 1].split()
        starts = [m.start() for m in re.finditer(r'\S+', s.lines[h + 1])]
        return (h + 2, df_[hf.index(col)], starts[hf.index(col)]) if col in hf else None
    return locate

for d in sys.argv[1:]:
    c = Case(d)
    case(os.path.basename(os.path.normpath(d)), c)
    c.write()
    print(f'{d}: {len(c.samples)} samples, {len(c.named)} named, {len(c.cells)} cells')
