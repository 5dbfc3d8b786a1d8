using OverlayPS.Core.Layers;

namespace OverlayPS.Tests.Layers;

public class LayerStackValidatorTests : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_good_stack_passes()
    {
        var stack = new LayerStack(new[] { _dir.Sub("l1"), _dir.Sub("l2") }, _dir.Sub("u"), _dir.Sub("w"));
        LayerStackValidator.Validate(stack);
        Assert.Equal(new[] { _dir.Sub("u"), _dir.Sub("l1"), _dir.Sub("l2") }, stack.LookupLayers);
    }

    [Theory]
    [InlineData("missing", LayerStackProblem.Missing)]
    [InlineData("twice", LayerStackProblem.UsedTwice)]
    [InlineData("upperNoWork", LayerStackProblem.UpperWithoutWork)]
    [InlineData("workNoUpper", LayerStackProblem.WorkWithoutUpper)]
    [InlineData("file", LayerStackProblem.NotADirectory)]
    [InlineData("nested", LayerStackProblem.Nested)]
    public void A_bad_stack_names_the_dir_at_fault(string kind, LayerStackProblem problem)
    {
        var l1 = _dir.Sub("l1");
        var u = _dir.Sub("u");
        File.WriteAllText(Path.Combine(_dir.Path, "f"), "x");
        LayerStack stack = kind switch
        {
            "missing" => new(new[] { Path.Combine(_dir.Path, "nope") }),
            "twice" => new(new[] { l1, l1 }),
            "upperNoWork" => new(new[] { l1 }, u),
            "workNoUpper" => new(new[] { l1 }, null, _dir.Sub("w")),
            "file" => new(new[] { Path.Combine(_dir.Path, "f") }),
            "nested" => new(new[] { l1 }, u, _dir.Sub("u/w")),
            _ => throw new ArgumentException(kind),
        };
        var e = Assert.Throws<LayerStackException>(() => LayerStackValidator.Validate(stack));
        Assert.Equal(problem, e.Problem);
        Assert.NotNull(e.Directory);
        Assert.Contains(e.Directory!, e.Message);
    }

    [Fact]
    public void More_than_500_lowers_are_refused()
    {
        var lowers = Enumerable.Range(0, 501).Select(i => $"/nonexistent/{i}");
        var e = Assert.Throws<LayerStackException>(() => LayerStackValidator.Validate(new LayerStack(lowers)));
        Assert.Equal(LayerStackProblem.TooManyLayers, e.Problem);
    }
}
