-- expect: exit 2
-- message: cell.cdrx.on_duration
-- message: PDCCH subframes (onDurationTimer, -v1310)
return { cell = { rat = "ltem", cdrx = { on_duration = 7 } }, devices = { { count = 1 } } }
