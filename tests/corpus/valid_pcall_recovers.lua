-- expect: exit 0
-- An error caught inside the script does not fail the load.
local ok, err = pcall(error, "ignored")
assert(not ok and err == "ignored")
return { devices = { { count = 1 } } }
