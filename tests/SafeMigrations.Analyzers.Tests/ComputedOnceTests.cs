namespace SafeMigrations.Analyzers.Tests;

[TestClass]
public sealed class ComputedOnceTests
{
    [TestMethod]
    public void A_cancelled_computation_is_not_kept_and_the_next_caller_computes_the_value()
    {
        var calls = 0;
        using var typing = new CancellationTokenSource();
        var memo = new ComputedOnce<object>(token =>
        {
            if (++calls == 1)
            {
                typing.Cancel(); // the developer typed while the first analysis was computing
            }

            token.ThrowIfCancellationRequested();
            return new object();
        });

        Assert.ThrowsExactly<OperationCanceledException>(() => memo.Get(typing.Token));
        var value = memo.Get(CancellationToken.None);

        Assert.AreSame(value, memo.Get(CancellationToken.None));
        Assert.AreEqual(2, calls, "computed again after the cancellation, then kept");
    }

    [TestMethod]
    public void A_failed_computation_is_not_kept()
    {
        var fail = true;
        var memo = new ComputedOnce<string>(_ => fail ? throw new InvalidOperationException("half-typed code") : "compared");

        Assert.ThrowsExactly<InvalidOperationException>(() => memo.Get(CancellationToken.None));
        fail = false;

        Assert.AreEqual("compared", memo.Get(CancellationToken.None));
    }

    [TestMethod]
    public async Task Concurrent_callers_share_one_computation()
    {
        var calls = 0;
        using var release = new ManualResetEventSlim();
        var memo = new ComputedOnce<object>(_ =>
        {
            Interlocked.Increment(ref calls);
            release.Wait(TimeSpan.FromSeconds(10), CancellationToken.None);
            return new object();
        });

        var callers = Enumerable.Range(0, 6).Select(_ => Task.Run(() => memo.Get(CancellationToken.None))).ToList();
        SpinWait.SpinUntil(() => Volatile.Read(ref calls) == 1, TimeSpan.FromSeconds(10));
        release.Set();
        var values = await Task.WhenAll(callers);

        Assert.AreEqual(1, calls);
        Assert.IsTrue(values.All(v => ReferenceEquals(v, values[0])), "every caller gets the same value");
    }

    [TestMethod]
    public async Task A_caller_waiting_for_another_computation_honours_its_own_cancellation()
    {
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var memo = new ComputedOnce<object>(_ =>
        {
            started.Set();
            release.Wait(TimeSpan.FromSeconds(10), CancellationToken.None);
            return new object();
        });
        var first = Task.Run(() => memo.Get(CancellationToken.None));
        Assert.IsTrue(started.Wait(TimeSpan.FromSeconds(10)));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsExactly<OperationCanceledException>(() => memo.Get(cancelled.Token));

        release.Set();
        Assert.IsNotNull(await first);
    }
}
