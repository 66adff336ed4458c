using MeshDashboard.Authentication;
using Microsoft.AspNetCore.Components;

namespace MeshDashboard.Components.Pages;

/// <summary>The sign-in page: a static form (local accounts) or a link to the OpenID provider.</summary>
public sealed partial class SignIn
{
    [Inject]
    public required AuthOptions Auth { get; init; }

    [SupplyParameterFromQuery]
    public string? ReturnUrl { get; set; }

    [SupplyParameterFromQuery(Name = "failed")]
    public int? Failed { get; set; }

    [SupplyParameterFromQuery(Name = "denied")]
    public int? Denied { get; set; }

    private string SafeReturnUrl => AuthenticationSetup.SafeReturnUrl(ReturnUrl);
}
