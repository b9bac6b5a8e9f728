#!/usr/bin/env bash
# Publish 20 durable messages (200 ms each, sequential) on node A, SIGKILL A after 1.5 s, start node B on the same
# SQLite store, and time until B has handled every message A left.
set -u
D=$(mktemp -d); BIN=bin/Release/net10.0/Spike.dll
dotnet $BIN $D/w.db $D/done.db 20 > $D/a.log 2>&1 & A=$!
for _ in $(seq 100); do grep -q published $D/a.log && break; sleep 0.1; done
sleep 1.5; kill -9 $A; wait $A 2>/dev/null
KILLED=$(date +%s%3N)
before=$(sqlite3 $D/done.db "select count(*) from done")
dotnet $BIN $D/w.db $D/done.db 0 > $D/b.log 2>&1 & B=$!
while :; do n=$(sqlite3 $D/done.db "select count(*) from done" 2>/dev/null); [[ "$n" == 20 ]] && break; (( $(date +%s%3N) - KILLED > 300000 )) && break; sleep 0.1; done
END=$(date +%s%3N)
echo "done before kill: $before; all 20 done $((END-KILLED)) ms after the kill; B: $(cat $D/b.log | head -3 | tr '\n' ' ')"
echo "first message by B $(( $(sqlite3 $D/done.db "select min(at) from done where pid=$B") - KILLED )) ms after the kill"
kill $B; wait $B 2>/dev/null; rm -rf $D
