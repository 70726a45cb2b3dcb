-- expect: exit 2
-- message: boolean
if true then error(false) end
return { devices = { { count = 1 } } }
