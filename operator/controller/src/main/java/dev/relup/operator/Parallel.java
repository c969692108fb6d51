package dev.relup.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/** One call per item on a pool, results in the items' order: a pass waits for the slowest node, not their sum. */
public final class Parallel {

    private Parallel() {
    }

    public static <T, R> List<R> map(ExecutorService pool, List<T> items, Function<T, R> call) {
        if (items.size() == 1) {
            return List.of(call.apply(items.get(0)));
        }
        List<Future<R>> futures = new ArrayList<>();
        for (T item : items) {
            futures.add(pool.submit(() -> call.apply(item)));
        }
        List<R> out = new ArrayList<>();
        for (Future<R> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return out;
    }
}
