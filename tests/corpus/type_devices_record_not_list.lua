-- expect: exit 2
-- message: devices
-- One group written without the list around it.
return { devices = { count = 10, name = "meters" } }
