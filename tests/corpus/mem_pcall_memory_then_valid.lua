-- expect: exit 0
-- A memory error caught by pcall leaves a usable state.
local ok = pcall(string.rep, "x", 1 << 31)
assert(not ok)
return { devices = { { count = 1 } } }
