#!/usr/bin/env python3
"""Interleaved whole-process timings: on a shared, noisy host, commands run in turn (A, B, C,
A, B, C, ...) drift together, so their medians compare fairly in one session.

    bench/ab.py ROUNDS CMD_A... -- CMD_B... [-- CMD_C...]

Leading NAME=value words of a command are set in its environment. Prints, per command, the
median and minimum wall time and the median CPU time (user + system, from wait4).
"""
import subprocess, sys, time, statistics, os, resource
args=sys.argv[2:]; rounds=int(sys.argv[1])
cmds=[]; cur=[]
for a in args:
    if a=='--': cmds.append(cur); cur=[]
    else: cur.append(a)
cmds.append(cur)
res=[[] for _ in cmds]
for r in range(rounds):
    for i,c in enumerate(cmds):
        env=dict(os.environ)
        c2=list(c)
        while c2 and '=' in c2[0] and not c2[0].startswith('/'):
            k,v=c2.pop(0).split('=',1); env[k]=v
        t0=time.perf_counter()
        p=subprocess.Popen(c2,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL,env=env)
        _,status,ru=os.wait4(p.pid,0)
        w=time.perf_counter()-t0
        res[i].append((w,ru.ru_utime+ru.ru_stime))
for i,c in enumerate(cmds):
    ws=sorted(x[0] for x in res[i]); cs=sorted(x[1] for x in res[i])
    print(f"{' '.join(c)[:70]:70s} wall median {statistics.median(ws)*1000:7.1f} ms  min {ws[0]*1000:7.1f}  cpu median {statistics.median(cs)*1000:7.1f} ms")
