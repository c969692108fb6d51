package dev.relup.e2e.operator;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ChartFactory;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The PNG charts of the benchmarks (JFreeChart, headless). Each method draws one file. */
final class BenchmarkCharts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** An (x, y) point. */
    record Point(double x, double y) {
    }

    /**
     * What the clients saw during one move, time in seconds from the spec change: each answered request's latency,
     * failed requests and dropped connections per second, and when the release was Ready on the target.
     */
    record Timeline(String title, List<Point> latencyMillis, List<Point> failedPerSecond, List<Point> droppedPerSecond,
            double readyAtSeconds) {
    }

    private BenchmarkCharts() {
    }

    /** Two moves side by side (e.g. Hot and Restart), on the same latency scale. */
    static void latencySideBySide(Path file, Timeline left, Timeline right) throws IOException {
        JFreeChart a = latency(left);
        JFreeChart b = latency(right);
        double max = Math.max(((XYPlot) a.getPlot()).getRangeAxis().getUpperBound(),
                ((XYPlot) b.getPlot()).getRangeAxis().getUpperBound());
        double fails = Math.max(((XYPlot) a.getPlot()).getRangeAxis(1).getUpperBound(),
                ((XYPlot) b.getPlot()).getRangeAxis(1).getUpperBound());
        for (JFreeChart c : List.of(a, b)) {
            ((XYPlot) c.getPlot()).getRangeAxis().setUpperBound(max);
            ((XYPlot) c.getPlot()).getRangeAxis(1).setRange(0, Math.max(5, fails));
        }
        sideBySide(file, 1600, 600, a, b);
    }

    private static JFreeChart latency(Timeline t) {
        XYSeries lat = new XYSeries("latency of each answered request (ms)", false, true);
        t.latencyMillis().forEach(p -> lat.add(p.x(), Math.max(0.05, p.y())));
        XYPlot plot = new XYPlot();
        plot.setDataset(0, new XYSeriesCollection(lat));
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        dots.setSeriesShape(0, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
        dots.setSeriesPaint(0, new Color(40, 90, 180, 110));
        plot.setRenderer(0, dots);
        NumberAxis x = new NumberAxis("seconds since the spec change");
        plot.setDomainAxis(x);
        LogarithmicAxis y = new LogarithmicAxis("latency (ms, log scale)");
        y.setAllowNegativesFlag(false);
        y.setAutoRangeNextLogFlag(true);
        plot.setRangeAxis(0, y);

        XYSeries failed = new XYSeries("failed requests per second", false, true);
        t.failedPerSecond().forEach(p -> failed.add(p.x(), p.y()));
        XYSeries dropped = new XYSeries("dropped connections per second", false, true);
        t.droppedPerSecond().forEach(p -> dropped.add(p.x(), p.y()));
        XYSeriesCollection counts = new XYSeriesCollection();
        counts.addSeries(failed);
        counts.addSeries(dropped);
        counts.setIntervalWidth(0.9);
        plot.setDataset(1, counts);
        XYBarRenderer bars = new ClusteredXYBarRenderer();
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(220, 40, 40, 180));
        bars.setSeriesPaint(1, new Color(240, 150, 0, 180));
        plot.setRenderer(1, bars);
        NumberAxis count = new NumberAxis("per second");
        count.setAutoRangeIncludesZero(true);
        count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.setRangeAxis(1, count);
        plot.mapDatasetToRangeAxis(1, 1);

        plot.addDomainMarker(marker(0, "spec change"));
        plot.addDomainMarker(marker(t.readyAtSeconds(), "Ready"));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return new JFreeChart(t.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static ValueMarker marker(double x, String label) {
        ValueMarker m = new ValueMarker(x, Color.DARK_GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
        m.setLabel(label);
        m.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(12, 30, 0, 0));
        return m;
    }

    /** One line per series, e.g. move time against replicas. */
    static void lines(Path file, String title, String xLabel, String yLabel, Map<String, List<Point>> series)
            throws IOException {
        write(file, lineChart(title, xLabel, yLabel, series), 1100, 650);
    }

    /** Stacked bars: per category (e.g. a move), the parts of a whole (e.g. engine steps and the operator's share). */
    static void stackedBars(Path file, String title, String yLabel, Map<String, Map<String, Double>> categories)
            throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        categories.forEach((category, parts) -> parts.forEach((part, v) -> data.addValue(v, part, category)));
        JFreeChart c = ChartFactory.createStackedBarChart(title, null, yLabel, data, PlotOrientation.HORIZONTAL, true,
                false, false);
        CategoryPlot plot = c.getCategoryPlot();
        StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
        r.setShadowVisible(false);
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        write(file, c, 1200, 120 + 40 * categories.size());
    }

    /** Charts drawn next to each other in one image. */
    static void sideBySide(Path file, int width, int height, JFreeChart... charts) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double w = (double) width / charts.length;
        for (int i = 0; i < charts.length; i++) {
            charts[i].draw(g, new Rectangle2D.Double(i * w, 0, w, height));
        }
        g.dispose();
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            ChartUtils.writeBufferedImageAsPNG(out, image);
        }
    }

    /** Two XY line charts side by side (e.g. RSS and CPU against the number of ErlangReleases). */
    static void twoLineCharts(Path file, String leftTitle, String leftY, Map<String, List<Point>> left,
            String rightTitle, String rightY, Map<String, List<Point>> right, String xLabel) throws IOException {
        sideBySide(file, 1600, 600, lineChart(leftTitle, xLabel, leftY, left), lineChart(rightTitle, xLabel, rightY, right));
    }

    private static JFreeChart lineChart(String title, String xLabel, String yLabel, Map<String, List<Point>> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries s = new XYSeries(name, true, true);
            points.forEach(p -> s.add(p.x(), p.y()));
            data.addSeries(s);
        });
        JFreeChart c = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        XYPlot plot = (XYPlot) c.getPlot();
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return c;
    }

    private static void write(Path file, JFreeChart chart, int width, int height) throws IOException {
        Files.createDirectories(file.getParent());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    }
}
