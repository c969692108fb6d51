// relup-netpol: a NetworkPolicy enforcer for the local e2e cluster (e2e/local-cluster), one more node process.
//
// Policy evaluation, informers and the NFQUEUE reader are kube-network-policies v0.8.0, used unmodified
// (networkpolicy.NewController + Controller.Run). Only the dataplane differs: upstream programs an nftables
// table whose rules end in the nftables `queue` expression (nft_queue), and this machine's kernel has
// `# CONFIG_NFT_QUEUE is not set`. The kernel rejects upstream's whole nftables batch (the table included),
// so upstream installs nothing, logs the failure at each sync, and still reads its NFQUEUE. This program
// installs the equivalent iptables rules, whose NFQUEUE target is the xt one (CONFIG_NETFILTER_XT_TARGET_NFQUEUE,
// through nft_compat with iptables-nft), into the same queue:
//
//	*mangle
//	:RELUP-NETPOL - [0:0]
//	-A FORWARD -m comment --comment relup-netpol -j RELUP-NETPOL
//	-A RELUP-NETPOL -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
//	-A RELUP-NETPOL -s POD_IP -j NFQUEUE --queue-num 100 [--queue-bypass]   # for every local pod
//	-A RELUP-NETPOL -d POD_IP -j NFQUEUE --queue-num 100 [--queue-bypass]   # a NetworkPolicy selects
//
// which is upstream's `ct state established,related accept; ip saddr/daddr @podips-v4 queue` (its set of
// local pod IPs selected by some NetworkPolicy), at mangle FORWARD instead of a postrouting chain:
//   - FORWARD sees routed traffic (host -> pod, pod -> service VIP after DNAT) and, with br_netfilter and
//     net.bridge.bridge-nf-call-iptables=1 (set by e2e/local-cluster in the node's netns), pod -> pod
//     traffic bridged on cni0; conntrack state and DNAT are known there, SNAT is not yet applied.
//   - the mangle table, not filter: kube-proxy prepends KUBE-FORWARD to filter FORWARD, whose
//     `--mark 0x4000/0x4000 -j ACCEPT` would let masqueraded NEW connections bypass a later rule; nobody
//     else writes mangle FORWARD, and an ACCEPT verdict from the queue goes on to filter FORWARD as usual.
//   - node-local traffic (OUTPUT, e.g. kubelet probes) is not queued; upstream skips it too (`meta skuid 0
//     accept`: every node process here runs as root).
//
// IPv4 only (the local cluster is single-stack IPv4). The rules are removed on SIGTERM/SIGINT.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	v1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/component-base/logs"
	logsapi "k8s.io/component-base/logs/api/v1"
	"k8s.io/klog/v2"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"sigs.k8s.io/kube-network-policies/pkg/networkpolicy"
)

const (
	chain   = "RELUP-NETPOL"
	comment = "relup-netpol"
)

var (
	kubeconfig  = flag.String("kubeconfig", "", "kubeconfig file (empty: in-cluster config)")
	nodeName    = flag.String("hostname-override", "", "name of this Node (empty: the hostname); only pods on this node are enforced")
	queueID     = flag.Int("nfqueue-id", 100, "NFQUEUE number shared by the iptables rules and the reader")
	failOpen    = flag.Bool("fail-open", false, "accept packets when the enforcer is not reading the queue (iptables --queue-bypass) or cannot parse them")
	iptablesBin = flag.String("iptables", "iptables", "iptables binary; its -restore sibling is used too (use the same backend as kube-proxy)")
	resync      = flag.Duration("resync", 30*time.Second, "re-assert the iptables rules at least this often")
	metricsAddr = flag.String("metrics-bind-address", "", "serve kube-network-policies' Prometheus metrics at HOST:PORT/metrics (empty: off)")
	cleanupOnly = flag.Bool("cleanup", false, "remove the iptables rules and exit")
	printRules  = flag.Bool("print-rules", false, "with --pod-ip: print the iptables-restore input for those pod IPs and exit (no cluster, no iptables)")
	printPodIPs = flag.String("pod-ip", "", "comma-separated pod IPs for --print-rules")
)

func main() { os.Exit(run()) }

func run() int {
	c := logsapi.NewLoggingConfiguration()
	logsapi.AddGoFlags(c, flag.CommandLine)
	flag.Usage = func() {
		fmt.Fprint(os.Stderr, "Usage: relup-netpol --kubeconfig FILE --hostname-override NODE [options]\n"+
			"NetworkPolicy enforcer: kube-network-policies v0.8.0's evaluator behind iptables NFQUEUE rules (mangle FORWARD).\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	logs.InitLogs()
	defer logs.FlushLogs()
	if err := logsapi.ValidateAndApply(c, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	dp := &dataplane{iptables: *iptablesBin, queue: *queueID, bypass: *failOpen}
	if *printRules {
		var ips []string
		if *printPodIPs != "" {
			ips = strings.Split(*printPodIPs, ",")
		}
		os.Stdout.WriteString(dp.restoreInput(ips))
		return 0
	}
	if *cleanupOnly {
		if err := dp.cleanup(); err != nil {
			klog.ErrorS(err, "cleanup")
			return 1
		}
		return 0
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	node := *nodeName
	if node == "" {
		h, err := os.Hostname()
		if err != nil {
			klog.ErrorS(err, "no node name: use --hostname-override")
			return 2
		}
		node = strings.ToLower(h)
	}
	var cfg *rest.Config
	var err error
	if *kubeconfig != "" {
		cfg, err = clientcmd.BuildConfigFromFlags("", *kubeconfig)
	} else {
		cfg, err = rest.InClusterConfig()
	}
	if err != nil {
		klog.ErrorS(err, "client configuration")
		return 2
	}
	cfg.AcceptContentTypes = "application/vnd.kubernetes.protobuf,application/json"
	cfg.ContentType = "application/vnd.kubernetes.protobuf"
	cfg.UserAgent = "relup-netpol"
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		klog.ErrorS(err, "client")
		return 2
	}
	factory := informers.NewSharedInformerFactory(client, 0)
	npInformer := factory.Networking().V1().NetworkPolicies()
	nsInformer := factory.Core().V1().Namespaces()
	podInformer := factory.Core().V1().Pods()

	controller, err := networkpolicy.NewController(client, npInformer, nsInformer, podInformer,
		nil, nil, nil, nil, // no (Baseline)AdminNetworkPolicy
		networkpolicy.Config{
			FailOpen: *failOpen,
			QueueID:  *queueID,
			NodeName: node,
			// Kernel 6.18 has the conntrack fix; the option only shapes upstream's (failing) nftables rules.
			NetfilterBug1766Fix: false,
			// Must stay false in v0.8.0: with NRI disabled its pod-by-IP lookup dereferences a nil plugin for
			// every IP no pod has (e.g. the host's 10.250.0.1) and panics. Enabled, the NRI stub only fails to
			// connect (containerd 1.6 has no NRI socket) and the lookup falls back to the informer index.
			NRIdisabled: false,
		})
	if err != nil {
		klog.ErrorS(err, "kube-network-policies controller")
		return 1
	}

	// Our own handlers on the same informers: which local pods a NetworkPolicy selects (upstream's podips-v4 set).
	kick := make(chan struct{}, 1)
	poke := func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	}
	h := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { poke() },
		UpdateFunc: func(any, any) { poke() },
		DeleteFunc: func(any) { poke() },
	}
	for _, inf := range []cache.SharedIndexInformer{npInformer.Informer(), podInformer.Informer()} {
		if _, err := inf.AddEventHandler(h); err != nil {
			klog.ErrorS(err, "event handler")
			return 1
		}
	}
	podLister, npLister := podInformer.Lister(), npInformer.Lister()

	if *metricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.Handler())
		go func() { utilruntime.HandleError(http.ListenAndServe(*metricsAddr, mux)) }()
	}

	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		if err := controller.Run(ctx); err != nil {
			klog.ErrorS(err, "kube-network-policies controller stopped")
			cancel()
		}
	}()
	factory.Start(ctx.Done())
	if !cache.WaitForNamedCacheSync("relup-netpol", ctx.Done(), npInformer.Informer().HasSynced,
		podInformer.Informer().HasSynced, nsInformer.Informer().HasSynced) {
		return 1
	}
	klog.InfoS("enforcing", "node", node, "queue", *queueID, "failOpen", *failOpen, "iptables", *iptablesBin)

	last := "\x00"
	ticker := time.NewTicker(*resync)
	defer ticker.Stop()
	for {
		ips := selectedLocalPodIPs(podLister.List, npLister.List, node)
		if err := dp.sync(ips, last); err != nil {
			klog.ErrorS(err, "syncing iptables rules")
			last = "\x00"
		} else {
			last = strings.Join(ips, ",")
		}
		select {
		case <-ctx.Done():
			if err := dp.cleanup(); err != nil {
				klog.ErrorS(err, "removing iptables rules")
			}
			select { // upstream closes its queue and cleans its (absent) nftables table
			case <-runDone:
			case <-time.After(5 * time.Second):
			}
			klog.InfoS("stopped")
			return 0
		case <-kick:
			time.Sleep(50 * time.Millisecond) // coalesce bursts of events
		case <-ticker.C:
			last = "\x00" // re-assert even when unchanged (someone may have flushed the table)
		}
	}
}

// selectedLocalPodIPs: the IPv4 addresses of pods on this node that some NetworkPolicy selects
// (upstream's getLocalPodsForNetworkPolicy over all policies; hostNetwork pods excluded, as upstream's index does).
func selectedLocalPodIPs(
	listPods func(labels.Selector) ([]*v1.Pod, error),
	listPolicies func(labels.Selector) ([]*networkingv1.NetworkPolicy, error),
	node string,
) []string {
	policies, err := listPolicies(labels.Everything())
	if err != nil || len(policies) == 0 {
		return nil
	}
	pods, err := listPods(labels.Everything())
	if err != nil {
		return nil
	}
	set := map[string]bool{}
	for _, np := range policies {
		sel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
		if err != nil {
			klog.InfoS("ignoring a NetworkPolicy with an invalid podSelector", "policy", klog.KObj(np), "err", err)
			continue
		}
		for _, p := range pods {
			if p.Namespace != np.Namespace || p.Spec.NodeName != node || p.Spec.HostNetwork ||
				!sel.Matches(labels.Set(p.Labels)) {
				continue
			}
			for _, ip := range p.Status.PodIPs {
				if a := net.ParseIP(ip.IP); a != nil && a.To4() != nil {
					set[a.String()] = true
				}
			}
		}
	}
	out := make([]string, 0, len(set))
	for ip := range set {
		out = append(out, ip)
	}
	sort.Strings(out)
	return out
}

type dataplane struct {
	iptables string
	queue    int
	bypass   bool
}

func (d *dataplane) restoreInput(ips []string) string {
	var b strings.Builder
	b.WriteString("*mangle\n:" + chain + " - [0:0]\n")
	b.WriteString("-A " + chain + " -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN\n")
	target := fmt.Sprintf("-j NFQUEUE --queue-num %d", d.queue)
	if d.bypass {
		target += " --queue-bypass"
	}
	for _, ip := range ips {
		fmt.Fprintf(&b, "-A %s -s %s/32 -m comment --comment %s %s\n", chain, ip, comment, target)
		fmt.Fprintf(&b, "-A %s -d %s/32 -m comment --comment %s %s\n", chain, ip, comment, target)
	}
	b.WriteString("COMMIT\n")
	return b.String()
}

// sync replaces the chain's content atomically (iptables-restore --noflush rewrites only the chains it
// declares) and makes sure mangle FORWARD jumps to it.
func (d *dataplane) sync(ips []string, last string) error {
	if strings.Join(ips, ",") == last {
		return nil
	}
	in := d.restoreInput(ips)
	cmd := exec.Command(d.iptables+"-restore", "--noflush", "--wait")
	cmd.Stdin = strings.NewReader(in)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s-restore: %v: %s\ninput:\n%s", d.iptables, err, bytes.TrimSpace(out), in)
	}
	if err := exec.Command(d.iptables, jumpRule("-C")...).Run(); err != nil {
		if out, err := exec.Command(d.iptables, jumpRule("-I")...).CombinedOutput(); err != nil {
			return fmt.Errorf("%s %v: %v: %s", d.iptables, jumpRule("-I"), err, bytes.TrimSpace(out))
		}
	}
	klog.InfoS("iptables rules synced", "queuedPodIPs", ips)
	return nil
}

// jumpRule: iptables arguments to check (-C), insert (-I) or delete (-D) mangle FORWARD's jump to our chain.
func jumpRule(op string) []string {
	return []string{"--wait", "-t", "mangle", op, "FORWARD", "-m", "comment", "--comment", comment, "-j", chain}
}

func (d *dataplane) cleanup() error {
	for exec.Command(d.iptables, jumpRule("-D")...).Run() == nil {
	}
	_ = exec.Command(d.iptables, "--wait", "-t", "mangle", "-F", chain).Run()
	if out, err := exec.Command(d.iptables, "--wait", "-t", "mangle", "-X", chain).CombinedOutput(); err != nil &&
		!strings.Contains(string(out), "No chain") && !strings.Contains(string(out), "does not exist") {
		return fmt.Errorf("%s -t mangle -X %s: %v: %s", d.iptables, chain, err, bytes.TrimSpace(out))
	}
	return nil
}
