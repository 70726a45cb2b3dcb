-- expect: exit 2
-- message: not found
-- known-failing: lua/unknown module names (a module name longer than 255 characters is cut, so the module named by its first 255 characters, d/d/.../d/x.lua, is loaded instead)
local name = string.rep("d.", 127) .. "x" .. string.rep("z", 45)
local m = require(name)
return { devices = { { count = m.count } } }
