using System.Security.Claims;

namespace MeshDashboard.Authentication;

/// <summary>
/// What each role may do. Viewer: read. ReleaseManager: every traffic change except turning mesh TLS off
/// or weaker. Admin: everything. Checked on the server for every write, whatever the route (UI or API).
/// </summary>
public static class Roles
{
    public const string Viewer = "Viewer";
    public const string ReleaseManager = "ReleaseManager";
    public const string Admin = "Admin";

    public const string CanViewPolicy = "CanView";
    public const string CanChangePolicy = "CanChange";

    public static readonly string[] All = [Viewer, ReleaseManager, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    public static bool CanChange(ClaimsPrincipal user) => user.IsInRole(ReleaseManager) || user.IsInRole(Admin);

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Admin);

    public static string Describe(ClaimsPrincipal user) =>
        user.IsInRole(Admin) ? Admin : user.IsInRole(ReleaseManager) ? ReleaseManager : user.IsInRole(Viewer) ? Viewer : "no role";
}
