// The types live with the pending_notices table in requests/; the object's code keeps this path.
export type { ResultDelivery, StaffNotice } from "../requests/notices";
