-- expect: exit 2
-- message: duration
-- known-failing: lua/embedded NULs (a key "duration\0" is taken for duration and accepted)
return { ["duration\0"] = 60, devices = { { count = 1 } } }
