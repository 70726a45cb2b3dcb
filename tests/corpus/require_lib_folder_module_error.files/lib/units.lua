-- units for the scenarios of this folder
local u = {}
u.day = 24 * HOUR
return u
