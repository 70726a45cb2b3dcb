-- expect: exit 2
-- message: boolean
-- known-failing: lua/messages (error(false) gives no file:line)
if true then error(false) end
return { devices = { { count = 1 } } }
