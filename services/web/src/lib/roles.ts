/** A role grant as the API sends it: the role and, where scoped, its department and branch. */
export interface RoleGrant {
  role: string;
  departmentId?: string | null;
  branchId?: string | null;
}
