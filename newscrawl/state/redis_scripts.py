"""Lua scripts of the Redis state: each runs atomically, so a batch is all-or-nothing.

Redis runs a script without interleaving any other client's command, which gives the Redis
backend the transactions the SQLite one gets from `BEGIN IMMEDIATE`: a read-compare-write (an
older revision never overwrites a newer one; a claim is taken only if nobody alive holds it)
cannot race another worker. Every script gets the key prefix as `ARGV[1]`.
"""

from __future__ import annotations

# ARGV: prefix, holder, then 8 values per line: id, url, url_key, content_hash, revision,
# category (JSON), seen, export_file. Mirrors SqliteStateStore._upsert, and releases the
# holder's claim on each post: from now on the state itself says it is exported.
RECORD_EXPORTED = """
local p, holder = ARGV[1], ARGV[2]
for i = 3, #ARGV, 8 do
  local id, url, key, digest = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local rev, category, seen, file = ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], ARGV[i + 7]
  local post = p .. ':post:' .. id
  local old = redis.call('HGET', post, 'revision')
  if not old or tonumber(rev) >= tonumber(old) then
    local old_key = redis.call('HGET', post, 'url_key')
    if old_key and old_key ~= key and redis.call('HGET', p .. ':urls', old_key) == id then
      redis.call('HDEL', p .. ':urls', old_key)
    end
    if not old then redis.call('HSET', post, 'first_seen', seen) end
    redis.call('HSET', post, 'url', url, 'url_key', key, 'content_hash', digest,
      'revision', rev, 'category', category, 'last_seen', seen, 'export_file', file)
    redis.call('HSET', p .. ':urls', key, id)
  end
  redis.call('HDEL', p .. ':pending', key)
  for _, alias in ipairs(redis.call('SMEMBERS', p .. ':aliases_of:' .. id)) do
    redis.call('HDEL', p .. ':pending', alias)
  end
  local claim = p .. ':claim:' .. id
  if redis.call('GET', claim) == holder then redis.call('DEL', claim) end
end
return 1
"""

# ARGV: prefix, url_key, post_id.
RECORD_ALIAS = """
local p, key, id = ARGV[1], ARGV[2], ARGV[3]
local previous = redis.call('HGET', p .. ':aliases', key)
if previous and previous ~= id then redis.call('SREM', p .. ':aliases_of:' .. previous, key) end
redis.call('HSET', p .. ':aliases', key, id)
redis.call('SADD', p .. ':aliases_of:' .. id, key)
if redis.call('EXISTS', p .. ':post:' .. id) == 1 then redis.call('HDEL', p .. ':pending', key) end
return 1
"""

# ARGV: prefix, seen_at, post ids…
TOUCH = """
local p, seen = ARGV[1], ARGV[2]
for i = 3, #ARGV do
  local post = p .. ':post:' .. ARGV[i]
  if redis.call('EXISTS', post) == 1 then redis.call('HSET', post, 'last_seen', seen) end
end
return 1
"""

# ARGV: prefix, holder, post_id, revision, export_file, claim TTL (s). Returns 1: keep the
# line (claimed, or it is the very line the state records), 0: drop it.
CLAIM = """
local p, holder, id, rev, file = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local old = redis.call('HMGET', p .. ':post:' .. id, 'revision', 'export_file')
if old[1] and tonumber(old[1]) >= rev then
  if tonumber(old[1]) == rev and old[2] == file then return 1 end
  return 0
end
local claim = p .. ':claim:' .. id
local current = redis.call('GET', claim)
if current and current ~= holder and redis.call('EXISTS', p .. ':alive:' .. current) == 1 then
  return 0
end
redis.call('SET', claim, holder, 'EX', ARGV[6])
return 1
"""

# ARGV: prefix, host, holder. Takes over the runs of this host whose worker is dead and
# returns them as run_id, part_path pairs: two workers starting together on one machine
# never recover the same orphaned part.
ADOPT_RUNS = """
local p, host, holder = ARGV[1], ARGV[2], ARGV[3]
local adopted = {}
for _, name in ipairs(redis.call('SMEMBERS', p .. ':export_runs')) do
  local record = p .. ':export_run:' .. name
  local run = redis.call('HMGET', record, 'status', 'host', 'holder', 'run_id', 'part_path')
  if run[1] == 'running' and run[2] == host and run[3] ~= holder
      and redis.call('EXISTS', p .. ':alive:' .. run[3]) == 0 then
    redis.call('HSET', record, 'holder', holder)
    table.insert(adopted, run[4])
    table.insert(adopted, run[5])
  end
end
return adopted
"""

# ARGV: prefix, post_id, url, signature (hex), band keys… Replaces the post's fingerprint
# and its bands (mirrors SqliteStateStore.add_fingerprint); its `seq` (the order in which
# posts were first fingerprinted) is given once and kept.
ADD_FINGERPRINT = """
local p, id, url, signature = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local fingerprint, bands = p .. ':fp:' .. id, p .. ':fp_bands:' .. id
for _, key in ipairs(redis.call('SMEMBERS', bands)) do
  redis.call('SREM', p .. ':band:' .. key, id)
end
redis.call('DEL', bands)
if redis.call('HEXISTS', fingerprint, 'seq') == 0 then
  redis.call('HSET', fingerprint, 'seq', redis.call('INCR', p .. ':fp_seq'))
end
redis.call('HSET', fingerprint, 'url', url, 'signature', signature)
for i = 5, #ARGV do
  redis.call('SADD', p .. ':band:' .. ARGV[i], id)
  redis.call('SADD', bands, ARGV[i])
end
return 1
"""
