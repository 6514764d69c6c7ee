"""Capacity in the lab: ECS services, Auto Scaling groups and Application Auto Scaling as AWS runs them.

moto records an ECS service's desiredCount and at once reports as many tasks running; it starts
Auto Scaling instances InService at once and registers them in the group's target groups, never
deregistering one on scale-in; a target is healthy the moment it is registered; and Application
Auto Scaling stores a scalable target's bounds without ever touching the service. On AWS capacity
takes time, and a failover that moves traffic before it is there drops requests. The lab models:

- ECS: a new task is RUNNING `start_s` after it was asked for (all tasks asked for together start
  together, as ECS starts them in parallel); it is then registered in the service's target group
  (IP 10.0.1.N / 10.0.2.N, alternating, N from 100 up, never one already in a target group) and
  turns from `initial` to `healthy` `healthy_s` after it started. DescribeServices answers
  runningCount / pendingCount from that, with one PRIMARY deployment whose rolloutState is
  IN_PROGRESS while tasks are pending and COMPLETED once all run (`/_lab/ecs-rollout` forces it).
  A service created on a target group that already has registered IP targets adopts them (up to
  its desiredCount) as tasks that are running and healthy.
- Auto Scaling: a new instance is Pending for `start_s`, then InService and registered (by
  instance id) in the group's target groups, `initial` for `healthy_s`, then healthy. Instances a
  group is created with are InService at once. UpdateAutoScalingGroup / SetDesiredCapacity refuse
  a desired capacity outside [MinSize, MaxSize] and MinSize above MaxSize, as AWS does.
- Application Auto Scaling: RegisterScalableTarget refuses MinCapacity above MaxCapacity; for an
  ECS service's DesiredCount it raises the service's desired count to a new MinCapacity above it
  and lowers it to a new MaxCapacity below it. `/_lab/ecs-policy-scale` is the service's own
  scaling policy acting: desired = clamp(N, MinCapacity, MaxCapacity).
- Scale-in removes the newest tasks / instances first (pending ones before running ones), at
  once, and deregisters them from the target group.

Every time is wall-clock (time.time()); the state is computed when read, and targets are
registered by `tick(account)`, which the middleware runs before serving each AWS call.
"""
import threading
import time

LOCK = threading.RLock()
DEFAULT_TIMING = {"start_s": 0.5, "healthy_s": 1.0}
ROLLOUT_STATES = ("IN_PROGRESS", "COMPLETED", "FAILED")
ECS_DIMENSION = "ecs:service:DesiredCount"


class _State:
    def __init__(self):
        self.timing = {}  # account -> {"start_s", "healthy_s"}
        self.services = {}  # account -> {service arn: service record}
        self.groups = {}  # account -> {(region, group name)}
        self.instances = {}  # instance id -> {"start_at", "healthy_at"} (new instances only)
        self.group_targets = {}  # (target group arn, group name) -> instance ids registered by the lab
        self.healthy_at = {}  # (target group arn, target id) -> when the target turns healthy
        self.allocated = {}  # (account, region) -> task IPs handed out (never reused)
        self.next_subnet = {}  # (account, region) -> how many task IPs were handed out


S = _State()


def reset():
    with LOCK:
        S.__init__()


def timing(account):
    return S.timing.get(account, DEFAULT_TIMING)


def initial_health(tg_arn, target_id, now=None):
    """(state, reason, description) for a target still in its first health checks, else None."""
    healthy_at = S.healthy_at.get((tg_arn, target_id))
    if healthy_at is not None and (now or time.time()) < healthy_at:
        return "initial", "Elb.InitialHealthChecking", "Initial health checks in progress"
    return None


def _new_times(account, now):
    t = timing(account)
    start = now + float(t["start_s"])
    return start, start + float(t["healthy_s"])


# ------------------------------------------------------------------ ECS
def _elbv2(account, region):
    from moto.elbv2.models import elbv2_backends

    return elbv2_backends[account][region]


def _alloc_ip(account, region):
    """10.0.1.N / 10.0.2.N alternating, N from 100: never an IP a target group holds or the lab
    handed out before."""
    backend = _elbv2(account, region)
    used = {tid for tg in backend.target_groups.values() for tid in tg.targets}
    allocated = S.allocated.setdefault((account, region), set())
    k = S.next_subnet.get((account, region), 0)
    S.next_subnet[(account, region)] = k + 1
    for subnet in (1 + k % 2, 2 - k % 2):
        for n in range(100, 255):
            ip = f"10.0.{subnet}.{n}"
            if ip not in used and ip not in allocated:
                allocated.add(ip)
                return ip
    raise RuntimeError("lab: no task IP left in 10.0.1.100-254 / 10.0.2.100-254")


def _record_for(service):
    return S.services.get(service._account_id, {}).get(service.arn)


def _adopt(service):
    """A new service: targets already registered in its target group are its running tasks."""
    account, region = service._account_id, service.region_name
    lb = next((lb for lb in service.load_balancers or [] if lb.get("targetGroupArn")), None)
    record = {"arn": service.arn, "region": region, "tg": lb and lb["targetGroupArn"],
              "port": lb and lb.get("containerPort"), "tasks": [], "rollout": None}
    if record["tg"]:
        tg = _elbv2(account, region).target_groups.get(record["tg"])
        existing = list(tg.targets.values()) if tg else []
        record["port"] = record["port"] or (tg.port if tg else None)
        for t in existing[: service.desired_count]:
            record["tasks"].append({"ip": t["Id"], "start_at": 0.0, "healthy_at": 0.0,
                                    "registered": True})
    S.services.setdefault(account, {})[service.arn] = record
    _sync(service)


def _sync(service):
    """Makes the service's tasks match its desiredCount: new ones start later, extra ones go now."""
    record = _record_for(service)
    if record is None:
        return
    account = service._account_id
    tasks, desired, now = record["tasks"], max(int(service.desired_count or 0), 0), time.time()
    if getattr(service, "status", "ACTIVE") != "ACTIVE":
        desired = 0
    while len(tasks) < desired:
        start, healthy = _new_times(account, now)
        tasks.append({"ip": _alloc_ip(account, record["region"]), "start_at": start,
                      "healthy_at": healthy, "registered": False})
    if len(tasks) > desired:
        tasks.sort(key=lambda t: t["start_at"])
        removed, record["tasks"] = tasks[desired:], tasks[:desired]
        for t in removed:
            _deregister(account, record["region"], record["tg"], t["ip"])


def _deregister(account, region, tg_arn, target_id):
    if not tg_arn:
        return
    tg = _elbv2(account, region).target_groups.get(tg_arn)
    if tg is not None and target_id in tg.targets:
        tg.deregister([{"Id": target_id}])
    S.healthy_at.pop((tg_arn, target_id), None)


def _counts(record, now):
    running = sum(1 for t in record["tasks"] if t["start_at"] <= now)
    return running, len(record["tasks"]) - running


def _patch_ecs():
    from moto.ecs import models as ecs_models

    backend = ecs_models.EC2ContainerServiceBackend
    orig_create, orig_update = backend.create_service, backend.update_service
    orig_delete = backend.delete_service

    def create_service(self, *args, **kwargs):
        service = orig_create(self, *args, **kwargs)
        with LOCK:
            _adopt(service)
        return service

    def update_service(self, *args, **kwargs):
        service = orig_update(self, *args, **kwargs)
        with LOCK:
            _sync(service)
        return service

    def delete_service(self, *args, **kwargs):
        service = orig_delete(self, *args, **kwargs)
        with LOCK:
            _sync(service)
        return service

    backend.create_service, backend.update_service = create_service, update_service
    backend.delete_service = delete_service

    def counted(name, index):
        raw = "_lab_raw_" + name

        def get(self):
            record = _record_for(self)
            if record is None:
                return self.__dict__.get(raw)
            return _counts(record, time.time())[index]

        def put(self, value):
            self.__dict__[raw] = value

        return property(get, put)

    def deployments_get(self):
        deployments = self.__dict__.get("_lab_raw_deployments") or []
        record = _record_for(self)
        if record is None:
            return deployments
        running, pending = _counts(record, time.time())
        for d in deployments:
            if d.get("status") != "PRIMARY":
                continue
            state = record["rollout"] or ("IN_PROGRESS" if pending else "COMPLETED")
            d.update(desiredCount=self.desired_count, runningCount=running,
                     pendingCount=pending, rolloutState=state,
                     rolloutStateReason={
                         "IN_PROGRESS": f"ECS deployment {d.get('id')} in progress.",
                         "COMPLETED": f"ECS deployment {d.get('id')} completed.",
                         "FAILED": "ECS deployment circuit breaker: tasks failed to start.",
                     }[state])
        return deployments

    def deployments_set(self, value):
        self.__dict__["_lab_raw_deployments"] = value

    ecs_models.Service.running_count = counted("running_count", 0)
    ecs_models.Service.pending_count = counted("pending_count", 1)
    ecs_models.Service.deployments = property(deployments_get, deployments_set)


def _ecs_service(arn):
    """The moto service behind an ECS service ARN (arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME)."""
    from moto.ecs.models import ecs_backends

    parts = arn.split(":")
    if len(parts) < 6 or parts[2] != "ecs" or not parts[5].startswith("service/"):
        raise ValueError(f"not an ECS service ARN: {arn}")
    resource = parts[5].split("/")
    if len(resource) != 3:
        raise ValueError(f"not a long-format ECS service ARN (service/CLUSTER/NAME): {arn}")
    return ecs_backends[parts[4]][parts[3]]._get_service(resource[1], resource[2])


def _set_desired(service, desired):
    service.desired_count = desired
    _sync(service)


# ------------------------------------------------------------------ Application Auto Scaling
def _scalable_target(account, region, resource_id):
    from moto.applicationautoscaling.models import applicationautoscaling_backends

    backend = applicationautoscaling_backends[account][region]
    return backend.targets.get(ECS_DIMENSION, {}).get(resource_id)


def _patch_application_autoscaling():
    from moto.applicationautoscaling import models as aas_models
    from moto.applicationautoscaling.exceptions import AWSValidationException

    backend = aas_models.ApplicationAutoscalingBackend
    orig_register = backend.register_scalable_target

    def register_scalable_target(self, namespace, r_id, dimension, min_capacity, max_capacity,
                                 *args, **kwargs):
        old = self.targets.get(dimension, {}).get(r_id)
        lo = min_capacity if min_capacity is not None else (old.min_capacity if old else None)
        hi = max_capacity if max_capacity is not None else (old.max_capacity if old else None)
        if lo is not None and hi is not None and int(lo) > int(hi):
            raise AWSValidationException(
                f"Minimum capacity cannot be greater than maximum capacity ({lo} > {hi})")
        target = orig_register(self, namespace, r_id, dimension, min_capacity, max_capacity,
                               *args, **kwargs)
        if namespace == "ecs" and dimension == ECS_DIMENSION:
            # AWS scales the service into the new bounds at once.
            _, cluster, name = r_id.split("/")
            service = self.ecs_backend._get_service(cluster, name)
            desired = service.desired_count or 0
            clamped = min(max(desired, int(target.min_capacity)), int(target.max_capacity))
            if clamped != desired:
                with LOCK:
                    _set_desired(service, clamped)
        return target

    backend.register_scalable_target = register_scalable_target


# ------------------------------------------------------------------ Auto Scaling
def _started(instance_id, now):
    t = S.instances.get(instance_id)
    return t is None or t["start_at"] <= now


def _patch_autoscaling():
    from moto.autoscaling import models as asg_models
    from moto.autoscaling.exceptions import ValidationError

    group_cls, backend = asg_models.FakeAutoScalingGroup, asg_models.AutoScalingBackend

    # moto's InService at once becomes Pending for `start_s` as far as any answer shows; moto's
    # own bookkeeping (how many instances the group has) keeps the raw state.
    def lifecycle_get(self):
        raw = self.__dict__.get("_lab_lifecycle", "InService")
        if raw == "InService" and not _started(self.instance.id, time.time()):
            return "Pending"
        return raw

    def lifecycle_set(self, value):
        self.__dict__["_lab_lifecycle"] = value

    asg_models.InstanceState.lifecycle_state = property(lifecycle_get, lifecycle_set)
    group_cls.active_instances = lambda self: [
        s for s in self.instance_states if s.__dict__.get("_lab_lifecycle") == "InService"]

    orig_replace = group_cls.replace_autoscaling_group_instances

    def replace_instances(self, count_needed, propagated_tags):
        before = {s.instance.id for s in self.instance_states}
        orig_replace(self, count_needed, propagated_tags)
        backend_ = self.autoscaling_backend
        if self.name not in backend_.autoscaling_groups:
            return  # the instances a group is created with are InService at once
        start, healthy = _new_times(backend_.account_id, time.time())
        with LOCK:
            for s in self.instance_states:
                if s.instance.id not in before:
                    S.instances[s.instance.id] = {"start_at": start, "healthy_at": healthy}

    group_cls.replace_autoscaling_group_instances = replace_instances

    orig_set_desired = group_cls.set_desired_capacity

    def start_of(s):
        return S.instances.get(s.instance.id, {"start_at": 0.0})["start_at"]

    def set_desired_capacity(self, new_capacity):
        # moto removes the first instances of its list: make those the newest (pending first).
        self.instance_states.sort(key=start_of, reverse=True)
        orig_set_desired(self, new_capacity)
        self.instance_states.sort(key=start_of)

    group_cls.set_desired_capacity = set_desired_capacity

    def update_attached_target_groups(self, group_name):
        """Registers the group's InService instances (by id) and deregisters removed ones."""
        group = self.autoscaling_groups[group_name]
        if not group.target_group_arns:
            return
        with LOCK:
            S.groups.setdefault(self.account_id, set()).add((self.region_name, group_name))
            now = time.time()
            members = {s.instance.id for s in group.instance_states}
            started = {i for i in members if _started(i, now)}
            elbv2 = self.elbv2_backend
            for arn in group.target_group_arns:
                tg = elbv2.target_groups.get(arn)
                if tg is None:
                    continue
                known = S.group_targets.setdefault((arn, group_name), set())
                for instance_id in sorted(known - members):
                    _deregister(self.account_id, self.region_name, arn, instance_id)
                    known.discard(instance_id)
                new = sorted(started - set(tg.targets))
                if new:
                    tg.register([{"Id": i, "Port": tg.port} for i in new])
                for instance_id in new:
                    t = S.instances.get(instance_id)
                    if t:
                        S.healthy_at[(arn, instance_id)] = t["healthy_at"]
                known.update(started)

    backend.update_attached_target_groups = update_attached_target_groups

    def check_bounds(lo, hi, desired, what):
        if lo is not None and hi is not None and int(lo) > int(hi):
            raise ValidationError(f"Max bound, {hi}, must be greater than or equal to min bound, {lo}")
        if desired is not None and lo is not None and hi is not None and not int(lo) <= int(desired) <= int(hi):
            raise ValidationError(what)

    orig_update = backend.update_auto_scaling_group

    def update_auto_scaling_group(self, name, availability_zones, desired_capacity, max_size,
                                  min_size, *args, **kwargs):
        group = self.autoscaling_groups.get(name)
        if group is not None:
            lo = min_size if min_size is not None else group.min_size
            hi = max_size if max_size is not None else group.max_size
            check_bounds(lo, hi, desired_capacity,
                         f"Desired capacity:{desired_capacity} must be between the specified "
                         f"min size:{lo} and max size:{hi}")
        out = orig_update(self, name, availability_zones, desired_capacity, max_size, min_size,
                          *args, **kwargs)
        self.update_attached_target_groups(name)
        return out

    backend.update_auto_scaling_group = update_auto_scaling_group

    orig_backend_set_desired = backend.set_desired_capacity

    def backend_set_desired(self, group_name, desired_capacity):
        group = self.autoscaling_groups.get(group_name)
        if group is not None and desired_capacity is not None:
            if int(desired_capacity) > int(group.max_size):
                raise ValidationError(f"New SetDesiredCapacity value {desired_capacity} is above "
                                      f"max value {group.max_size} for the AutoScalingGroup.")
            if int(desired_capacity) < int(group.min_size):
                raise ValidationError(f"New SetDesiredCapacity value {desired_capacity} is below "
                                      f"min value {group.min_size} for the AutoScalingGroup.")
        orig_backend_set_desired(self, group_name, desired_capacity)
        self.update_attached_target_groups(group_name)

    backend.set_desired_capacity = backend_set_desired


# ------------------------------------------------------------------ tick, controls
def install():
    _patch_ecs()
    _patch_application_autoscaling()
    _patch_autoscaling()


def tick(account):
    """Registers the tasks and instances of the account that have started since the last call."""
    services, groups = S.services.get(account), S.groups.get(account)
    if not services and not groups:
        return
    now = time.time()
    with LOCK:
        for record in list((services or {}).values()):
            due = [t for t in record["tasks"] if not t["registered"] and t["start_at"] <= now]
            if not due or not record["tg"]:
                continue
            tg = _elbv2(account, record["region"]).target_groups.get(record["tg"])
            if tg is None:
                continue
            tg.register([{"Id": t["ip"], "Port": record["port"] or tg.port} for t in due])
            for t in due:
                t["registered"] = True
                S.healthy_at[(record["tg"], t["ip"])] = t["healthy_at"]
        if groups:
            from moto.autoscaling.models import autoscaling_backends

            for region, name in list(groups):
                backend = autoscaling_backends[account][region]
                if name in backend.autoscaling_groups:
                    backend.update_attached_target_groups(name)


def control(what, account, req):
    """The capacity controls under /_lab/; None when `what` is not one of them."""
    if what == "capacity-timing":
        t = {"start_s": float(req.get("start_s", DEFAULT_TIMING["start_s"])),
             "healthy_s": float(req.get("healthy_s", DEFAULT_TIMING["healthy_s"]))}
        if t["start_s"] < 0 or t["healthy_s"] < 0:
            raise ValueError("start_s and healthy_s must be 0 or more")
        with LOCK:
            S.timing[account] = t
        return {"ok": True, **t}
    if what == "ecs-rollout":
        state = req["state"]
        if state is not None and state not in ROLLOUT_STATES:
            raise ValueError("state must be one of " + ", ".join(ROLLOUT_STATES) + " or null")
        with LOCK:
            service = _ecs_service(req["service_arn"])
            record = _record_for(service)
            if record is None:
                raise ValueError(f"the lab does not model {req['service_arn']}")
            record["rollout"] = state
        return {"ok": True}
    if what == "ecs-policy-scale":
        with LOCK:
            service = _ecs_service(req["service_arn"])
            _, _, _, region, acct, resource = req["service_arn"].split(":", 5)
            target = _scalable_target(acct, region, resource)
            desired = int(req["desired"])
            if target is not None:
                desired = min(max(desired, int(target.min_capacity)), int(target.max_capacity))
            _set_desired(service, desired)
        return {"desired": desired}
    return None
