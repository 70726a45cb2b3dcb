-- expect: exit 2
-- message: unexpected symbol
local durée = 3600
return { duration = durée, devices = { { count = 1 } } }
