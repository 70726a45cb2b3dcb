-- expect: exit 2
-- message: devices[1]
-- known-failing: lua/embedded NULs (a key "count\0x" is taken for count and accepted)
return { devices = { { count = 1, ["count\0x"] = 7 } } }
