-- expect: exit 2
-- message: devices[1].count: expected an integer, got string
-- --set-style coercion does not apply inside a scenario.
local n = "1" .. "0"
return { devices = { { count = n } } }
