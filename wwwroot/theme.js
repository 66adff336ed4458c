// MeshDashboard's theme memory. Runs in <head> on every page: it tells the server, through a cookie, the system's
// colour scheme, so the next page is rendered in it from the start; and it stores the person's own choice.
(function () {
    var year = 60 * 60 * 24 * 365;
    var systemIsDark = !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
    function set(name, value) {
        document.cookie = name + "=" + value + "; path=/; max-age=" + year + "; samesite=lax";
    }
    set("md-system-theme", systemIsDark ? "dark" : "light");
    window.meshDashboardTheme = {
        systemIsDark: function () { return systemIsDark; },
        remember: function (choice) { set("md-theme", choice); }
    };
})();
