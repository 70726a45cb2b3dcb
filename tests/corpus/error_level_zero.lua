-- expect: exit 2
-- message: this scenario needs a calibrated cell
error("this scenario needs a calibrated cell", 0)
return { devices = { { count = 1 } } }
