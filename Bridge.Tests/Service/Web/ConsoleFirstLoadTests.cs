using System.Collections.Concurrent;
using Bridge.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Bridge.Tests.Service.Web;

/// <summary>How the console starts (docs/benchmarks.md, "Issue #12"): one WebSocket, opened,
/// subscribed and asked for the devices by js/connection.js while the modules load and then used
/// by the console, and only the home's modules before the first card; the other pages' modules
/// come when they are needed.</summary>
public sealed class ConsoleFirstLoadTests(DemoBridgeFixture home, ConsoleBrowser chromium)
    : IClassFixture<DemoBridgeFixture>, IClassFixture<ConsoleBrowser>
{
    private TestBridge Bridge => home.Bridge;

    [ChromiumFact]
    public async Task The_console_opens_one_WebSocket_and_shows_the_home_over_it()
    {
        var page = await chromium.NewPageAsync();
        var sockets = new ConcurrentQueue<string>();
        page.WebSocket += (_, socket) => sockets.Enqueue(socket.Url);
        await page.GotoAsync($"{Bridge.App.ConsoleUrl}#token={Bridge.Token()}");
        var power = page.Locator("[data-device=\"lamp-1\"] [data-control=\"power\"]");
        await Assertions.Expect(power).ToHaveAttributeAsync("role", "switch");
        // The optional pages' links appear once the console has probed for their ops, after the home.
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Pair a phone" })).ToBeVisibleAsync();
        // An early socket the console failed to adopt would be a second connection (and a wasted handshake).
        Assert.Single(sockets);
        Assert.Contains("/api/v1/ws", sockets.Single());
        // And it carries the console's requests: a click is confirmed through it.
        var before = (string)Bridge.Home["lamp-1"].Snapshot()["power"];
        await power.ClickAsync();
        await Assertions.Expect(power).ToHaveAttributeAsync("aria-checked", (before != "on").ToString().ToLowerInvariant());
        Assert.Single(sockets);
    }

    [ChromiumFact]
    public async Task The_home_loads_no_module_of_the_other_pages_before_its_first_card()
    {
        var page = await chromium.NewPageAsync();
        // The moment the first card is inserted, taken in the page (the bench's way): the modules
        // the page asked for before it are those with an earlier start in its resource timing.
        await page.AddInitScriptAsync("""
            window.__firstCard = new Promise(resolve => {
              const seen = new MutationObserver(() => {
                if (document.querySelector('[data-device] [data-control]')) { seen.disconnect(); resolve(performance.now()) }
              })
              seen.observe(document, { childList: true, subtree: true })
            })
            """);
        await page.GotoAsync($"{Bridge.App.ConsoleUrl}#token={Bridge.Token()}");
        var cardAt = await page.EvaluateAsync<double>("() => window.__firstCard");
        var before = await page.EvaluateAsync<string[]>(
            "at => performance.getEntriesByType('resource').filter(e => e.startTime < at).map(e => new URL(e.name).pathname)", cardAt);
        Assert.Contains("/js/home.js", before);
        Assert.DoesNotContain("/js/setup.js", before);
        Assert.DoesNotContain("/js/pages.js", before);
        Assert.DoesNotContain("/js/scenes.js", before);
        // Opened later, such a page works: its module is loaded then (or was fetched after the home).
        await page.GetByRole(AriaRole.Link, new() { Name = "Set up a device" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Set up a new device");
    }

    [ChromiumFact]
    public async Task A_token_refused_before_the_protocol_core_arrives_is_still_told()
    {
        var page = await chromium.NewPageAsync();
        // The early socket's refusal (401) comes before lib/core.js, held back until then: the
        // page must not wait for a close event that has already happened.
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.WebSocket += (_, socket) =>
        {
            socket.Close += (_, _) => closed.TrySetResult();
            socket.SocketError += (_, _) => closed.TrySetResult();
        };
        await page.RouteAsync("**/lib/core.js", async route => { await closed.Task; await route.ContinueAsync(); });
        await page.GotoAsync($"{Bridge.App.ConsoleUrl}#token={Bridge.Token()}x", new() { WaitUntil = WaitUntilState.Commit });
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Assertions.Expect(page.Locator("[data-problem=\"token\"]")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Pairing code")).ToBeVisibleAsync();
    }

    [ChromiumFact]
    public async Task A_change_made_while_the_modules_load_is_on_the_card_and_in_the_activity()
    {
        var page = await chromium.NewPageAsync();
        // The console's main module is held back until the test lets it go: meanwhile the page has
        // only its classic scripts, which subscribe and list the devices on their own.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/js/app.js", async route => { await release.Task; await route.ContinueAsync(); });
        var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = Bridge.Home["water-heater-1"].Snapshot()["target_temperature"] is 60 or 60.0 ? 61 : 60;
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            var text = frame.Text ?? "";
            if (text.Contains("\"devices\":[", StringComparison.Ordinal)) listed.TrySetResult();
            if (text.Contains("\"event\":\"state\"", StringComparison.Ordinal) && text.Contains("water-heater-1", StringComparison.Ordinal)
                && text.Contains($"\"target_temperature\":{target}", StringComparison.Ordinal)) changed.TrySetResult();
        };
        await page.GotoAsync($"{Bridge.App.ConsoleUrl}#token={Bridge.Token()}", new() { WaitUntil = WaitUntilState.Commit });
        await listed.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await using var phone = await Bridge.ConnectAsync();
        JsonAssert.Ok(await phone.RequestAsync(new { op = "set", device = "water-heater-1", state = new { target_temperature = target } }));
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, await page.Locator("[data-device]").CountAsync()); // no module has run yet
        release.SetResult();

        // The card shows the value as changed (the devices list came before the change) …
        await Assertions.Expect(page.Locator("[data-device=\"water-heater-1\"] [data-state=\"target_temperature\"]"))
            .ToHaveAttributeAsync("data-value", target.ToString());
        // … and the event itself, which came before the console listened, is in its timeline.
        await page.GetByRole(AriaRole.Link, new() { Name = "Activity" }).ClickAsync();
        await Assertions.Expect(page.Locator(".timeline")).ToContainTextAsync($"target_temperature {target}");
    }
}
