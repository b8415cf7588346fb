// The type lives with the pending_notices table in requests/; the object's code keeps this path.
export type { StaffNotice } from "../requests/notices";
