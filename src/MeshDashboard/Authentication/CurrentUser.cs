using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace MeshDashboard.Authentication;

/// <summary>The person or token behind the current request or Blazor circuit.</summary>
public interface ICurrentUser
{
    Task<ClaimsPrincipal> GetAsync();
}

/// <summary>
/// In a circuit the authentication state comes from Blazor; in an HTTP request (the API) from the request itself.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http, IServiceProvider services) : ICurrentUser
{
    public async Task<ClaimsPrincipal> GetAsync()
    {
        var provider = services.GetService<AuthenticationStateProvider>();
        if (provider is not null)
        {
            try
            {
                return (await provider.GetAuthenticationStateAsync()).User;
            }
            catch (InvalidOperationException)
            {
                // Not inside a circuit: this is a plain HTTP request.
            }
        }
        return http.HttpContext?.User ?? new ClaimsPrincipal(new ClaimsIdentity());
    }
}
