-- expect: exit 2
-- message: require: bad module name '../etc/passwd'
local x = require "../etc/passwd"
return { devices = { { count = 1 } } }
