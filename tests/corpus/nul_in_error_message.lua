-- expect: exit 2
-- message: bad value
-- message: after the NUL
-- known-failing: lua/embedded NULs (an error message is printed only up to its first NUL)
error("bad value\0after the NUL")
return { devices = { { count = 1 } } }
