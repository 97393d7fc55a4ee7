-- Housekeeping of the sign-in throttle (decision 0014): records whose window has passed and device
-- trusts whose cookie has expired are deleted as sign-ins fail; these indexes make finding them cheap
-- however many rows a script trying random logins has left.
CREATE INDEX signin_failures_window ON signin_failures (window_start);
CREATE INDEX trusted_devices_trusted_at ON trusted_devices (trusted_at);
