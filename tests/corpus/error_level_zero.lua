-- expect: exit 2
-- message: this scenario needs a calibrated cell
-- known-failing: lua/messages (error(msg, 0) carries no position; the loader must add it)
error("this scenario needs a calibrated cell", 0)
return { devices = { { count = 1 } } }
