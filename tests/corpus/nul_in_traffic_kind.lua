-- expect: exit 2
-- message: devices[1].traffic.kind
-- known-failing: lua/embedded NULs (the enum compares up to the NUL: "none\0periodic" is taken as none)
return { devices = { { count = 1, traffic = { kind = "none\0periodic" } } } }
