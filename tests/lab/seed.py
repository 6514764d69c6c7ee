"""Seeds a running lab with the example topology and returns a hybridctl file that points at it.

The topology mirrors hybridctl.example.yaml: per service an ALB rule weighted on-prem 40 / AWS 60
between an on-prem IP target group (targets outside the VPC, AvailabilityZone=all) and an AWS one;
the failover alarm; RDS MariaDB with its parameter group; DMS instance, endpoints and a running
task; Route 53 weighted records prod / dr-eks / dr-ecs with health checks; the DR ready target group.
With `capacity`, what carries the web service on AWS (capacity.py models how it scales):
  ecs           ECS cluster `prod`, FARGATE service `web` (desiredCount 2) on the web aws target
                group: its two registered targets (10.0.1.10, 10.0.2.10) are the service's tasks;
  ecs-scalable  the same plus an Application Auto Scaling scalable target (min 2, max 12);
  asg           Auto Scaling group `web-asg` (min 2, desired 2, max 12) on the web aws target
                group, which is then of target type `instance` (an Auto Scaling group attaches
                only those): its two targets are the group's two instances, by instance id.
"""
import json

import boto3

REGION = "ap-northeast-2"
DR_REGION = "ap-southeast-1"
ALARM = "onprem-requestcount-high"


def _clients(endpoint, account):
    session = boto3.session.Session(
        aws_access_key_id=f"LAB{account}", aws_secret_access_key="lab", region_name=REGION)

    def client(name, region=REGION):
        return session.client(name, endpoint_url=endpoint, region_name=region)

    return client


def _vpc(ec2, cidr, azs):
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    prefix = cidr.rsplit(".", 2)[0]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"{prefix}.{i + 1}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
               for i, az in enumerate(azs)]
    return vpc, subnets


COORDINATION_TABLE = "hybridctl-coordination"


CAPACITY_KINDS = ("ecs", "ecs-scalable", "asg")


def seed(endpoint, account, services=1, listener_service=False, coordination=None, cdc_latency=None,
         capacity=None, dns_service=False):
    """`coordination`: a lease length (`2m`): create the coordination table and name it.
    `cdc_latency`: seconds: publish the DMS task's CDCLatencySource and CDCLatencyTarget now, as
    DMS does every minute (failback's replication gate reads the last 5 minutes); None publishes
    nothing (the tests that need a datapoint put their own).
    `capacity`: one of CAPACITY_KINDS (see above).
    `dns_service`: a service `ticket` routed by Route 53 (seed 004): weighted A records of
    api.ticket.example.com. in the seeded zone, SetIdentifier `nhn-lb` (site onprem, weight 100)
    and `aws-alb` (site aws, weight 0), each with its own health check (`ticket_health_checks`)."""
    if capacity is not None and capacity not in CAPACITY_KINDS:
        raise ValueError("capacity must be one of " + ", ".join(CAPACITY_KINDS))
    client = _clients(endpoint, account)
    ec2, elb = client("ec2"), client("elbv2")
    vpc, subnets = _vpc(ec2, "10.0.0.0/16", [f"{REGION}a", f"{REGION}c"])
    alb = elb.create_load_balancer(Name="hybrid-alb", Subnets=subnets, Scheme="internal", Type="application")
    alb_arn = alb["LoadBalancers"][0]["LoadBalancerArn"]

    def target_group(name, targets, onprem, target_type="ip"):
        tg = elb.create_target_group(Name=name, Protocol="HTTP", Port=8080, VpcId=vpc, TargetType=target_type,
                                     HealthCheckPath="/healthz")["TargetGroups"][0]["TargetGroupArn"]
        if targets:
            elb.register_targets(TargetGroupArn=tg, Targets=[
                {"Id": ip, "Port": 8080, **({"AvailabilityZone": "all"} if onprem else {})} for ip in targets])
        return tg

    fallback = target_group("default-aws", ["10.0.1.5"], False)
    listener = elb.create_listener(LoadBalancerArn=alb_arn, Protocol="HTTP", Port=80, DefaultActions=[
        {"Type": "forward", "TargetGroupArn": fallback}])["Listeners"][0]["ListenerArn"]

    out_services = {}
    for i in range(services):
        name = "web" if i == 0 else f"svc{i:02d}"
        onprem = target_group(f"{name}-onprem", ["10.20.0.11", "10.20.0.12"], True)
        if i == 0 and capacity == "asg":
            aws = target_group(f"{name}-aws", [], False, target_type="instance")  # the group registers
        else:
            aws = target_group(f"{name}-aws", [f"10.0.1.{10 + i % 200}", f"10.0.2.{10 + i % 200}"], False)
        rule = elb.create_rule(ListenerArn=listener, Priority=i + 1, Conditions=[
            {"Field": "host-header", "HostHeaderConfig": {"Values": [f"{name}.example.com"]}}], Actions=[
            {"Type": "forward", "ForwardConfig": {
                "TargetGroups": [{"TargetGroupArn": onprem, "Weight": 40}, {"TargetGroupArn": aws, "Weight": 60}],
                "TargetGroupStickinessConfig": {"Enabled": False}}}])["Rules"][0]["RuleArn"]
        out_services[name] = {"listener_arn": listener, "rule_arn": rule,
                              "target_groups": {"onprem": onprem, "aws": aws}}

    if listener_service:
        # A service on a listener's default action (no rule): ModifyListener, not ModifyRule.
        onprem = target_group("api-onprem", ["10.20.0.21", "10.20.0.22"], True)
        aws = target_group("api-aws", ["10.0.1.201", "10.0.2.201"], False)
        api_listener = elb.create_listener(LoadBalancerArn=alb_arn, Protocol="HTTP", Port=8080, DefaultActions=[
            {"Type": "forward", "ForwardConfig": {
                "TargetGroups": [{"TargetGroupArn": onprem, "Weight": 40}, {"TargetGroupArn": aws, "Weight": 60}]}}]
        )["Listeners"][0]["ListenerArn"]
        out_services["api"] = {"listener_arn": api_listener, "target_groups": {"onprem": onprem, "aws": aws}}

    client("cloudwatch").put_metric_alarm(
        AlarmName=ALARM, Namespace="AWS/ApplicationELB", MetricName="RequestCount",
        Dimensions=[{"Name": "TargetGroup", "Value": out_services["web"]["target_groups"]["onprem"].split(":")[-1]}],
        Statistic="Sum", Period=60, EvaluationPeriods=2, Threshold=5000, ComparisonOperator="GreaterThanThreshold")

    rds = client("rds")
    rds.create_db_parameter_group(DBParameterGroupName="hybrid-mariadb-10-6", DBParameterGroupFamily="mariadb10.6",
                                  Description="hybrid MariaDB with binlog for DMS CDC")
    rds.modify_db_parameter_group(DBParameterGroupName="hybrid-mariadb-10-6", Parameters=[
        {"ParameterName": "binlog_format", "ParameterValue": "ROW", "ApplyMethod": "immediate"},
        {"ParameterName": "binlog_row_image", "ParameterValue": "FULL", "ApplyMethod": "immediate"}])
    db = rds.create_db_instance(
        DBInstanceIdentifier="hybrid-mariadb", Engine="mariadb", EngineVersion="10.6.14",
        DBInstanceClass="db.t3.medium", AllocatedStorage=20, MasterUsername="admin",
        MasterUserPassword="lab-only-password", BackupRetentionPeriod=7,
        DBParameterGroupName="hybrid-mariadb-10-6")["DBInstance"]
    rds_host = db.get("Endpoint", {}).get("Address", "hybrid-mariadb.lab.rds.amazonaws.com")

    dms = client("dms")
    ri = dms.create_replication_instance(ReplicationInstanceIdentifier="hybrid-dms",
                                         ReplicationInstanceClass="dms.t3.medium",
                                         EngineVersion="3.5.3")["ReplicationInstance"]["ReplicationInstanceArn"]
    src = dms.create_endpoint(EndpointIdentifier="rds-mariadb-source", EndpointType="source", EngineName="mariadb",
                              ServerName=rds_host, Port=3306, Username="dms_user",
                              Password="lab-only-password")["Endpoint"]["EndpointArn"]
    dst = dms.create_endpoint(EndpointIdentifier="onprem-mariadb-target", EndpointType="target", EngineName="mariadb",
                              ServerName="10.20.0.50", Port=3306, Username="dms_user",
                              Password="lab-only-password")["Endpoint"]["EndpointArn"]
    task = dms.create_replication_task(
        ReplicationTaskIdentifier="rds-to-onprem", SourceEndpointArn=src, TargetEndpointArn=dst,
        ReplicationInstanceArn=ri, MigrationType="full-load-and-cdc",
        TableMappings=json.dumps({"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "all",
                                             "object-locator": {"schema-name": "ticket", "table-name": "%"},
                                             "rule-action": "include"}]}))["ReplicationTask"]["ReplicationTaskArn"]
    dms.start_replication_task(ReplicationTaskArn=task, StartReplicationTaskType="start-replication")
    dms.test_connection(ReplicationInstanceArn=ri, EndpointArn=src)  # on record as successful
    if cdc_latency is not None:
        client("cloudwatch").put_metric_data(Namespace="AWS/DMS", MetricData=[{
            "MetricName": name, "Value": float(cdc_latency), "Unit": "Seconds",
            "Dimensions": [{"Name": "ReplicationInstanceIdentifier", "Value": "hybrid-dms"},
                           {"Name": "ReplicationTaskIdentifier", "Value": "rds-to-onprem"}]}
            for name in ("CDCLatencySource", "CDCLatencyTarget")])

    r53 = client("route53")
    zone = r53.create_hosted_zone(Name="ticket.example.com", CallerReference=f"lab-{account}")["HostedZone"]["Id"]
    zone_id = zone.split("/")[-1]
    records = {"prod": (100, "203.0.113.10"), "dr-eks": (0, "198.51.100.20"), "dr-ecs": (0, "198.51.100.30")}
    health_checks = {}
    changes = []
    for ident, (weight, ip) in records.items():
        hc = r53.create_health_check(CallerReference=f"lab-{account}-{ident}", HealthCheckConfig={
            "IPAddress": ip, "Port": 443, "Type": "HTTPS", "ResourcePath": "/healthz",
            "RequestInterval": 10, "FailureThreshold": 3})["HealthCheck"]["Id"]
        health_checks[ident] = hc
        changes.append({"Action": "UPSERT", "ResourceRecordSet": {
            "Name": "ticket.example.com.", "Type": "A", "SetIdentifier": ident, "Weight": weight, "TTL": 60,
            "ResourceRecords": [{"Value": ip}], "HealthCheckId": hc}})
    r53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})
    ticket_checks = {}
    if dns_service:
        # NHN's load balancer by its address; the AWS side as Route 53 holds an ALB: an alias
        # record to the load balancer's DNS name (no TTL of its own).
        alb_dns = alb["LoadBalancers"][0]["DNSName"]
        alb_zone = alb["LoadBalancers"][0].get("CanonicalHostedZoneId", "ZWKZPGTI48KDX")
        changes = []
        for ident, (weight, ip) in {"nhn-lb": (100, "203.0.113.40"), "aws-alb": (0, "198.51.100.40")}.items():
            hc = r53.create_health_check(CallerReference=f"lab-{account}-ticket-{ident}", HealthCheckConfig={
                "IPAddress": ip, "Port": 443, "Type": "HTTPS", "ResourcePath": "/healthz",
                "RequestInterval": 10, "FailureThreshold": 3})["HealthCheck"]["Id"]
            ticket_checks[ident] = hc
            rrs = {"Name": "api.ticket.example.com.", "Type": "A", "SetIdentifier": ident, "Weight": weight,
                   "HealthCheckId": hc}
            if ident == "aws-alb":
                rrs["AliasTarget"] = {"HostedZoneId": alb_zone, "DNSName": alb_dns, "EvaluateTargetHealth": False}
            else:
                rrs.update(TTL=60, ResourceRecords=[{"Value": ip}])
            changes.append({"Action": "UPSERT", "ResourceRecordSet": rrs})
        r53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})

    ec2_dr, elb_dr = client("ec2", DR_REGION), client("elbv2", DR_REGION)
    dr_vpc, _ = _vpc(ec2_dr, "10.1.0.0/16", [f"{DR_REGION}a", f"{DR_REGION}b"])
    ready = elb_dr.create_target_group(Name="dr-eks", Protocol="HTTP", Port=8080, VpcId=dr_vpc,
                                       TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    elb_dr.register_targets(TargetGroupArn=ready, Targets=[{"Id": "10.1.1.10"}, {"Id": "10.1.2.10"}])

    resources = {"account": account, "alb": alb_arn, "listener": listener, "services": out_services,
                 "alarm": ALARM, "rds_instance": "hybrid-mariadb", "rds_parameter_group": "hybrid-mariadb-10-6",
                 "dms_task": task, "dms_instance": ri, "dms_source_endpoint": src, "dms_target_endpoint": dst,
                 "zone_id": zone_id, "health_checks": health_checks, "dr_ready_target_group": ready,
                 "ticket_health_checks": ticket_checks}
    if capacity:
        resources.update(_capacity(client, capacity, subnets, out_services["web"]["target_groups"]["aws"]))
    if coordination:
        # The table docs/coordination.md asks for: string keys pk and sk, nothing else.
        client("dynamodb").create_table(
            TableName=COORDINATION_TABLE, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}])
        resources["coordination"] = {"table": COORDINATION_TABLE, "lease": coordination}
    return {"topology": topology_yaml(endpoint, resources), "resources": resources}


def _capacity(client, kind, subnets, tg):
    """What carries the web service on AWS, on its aws target group; the seed's `resources` entries."""
    if kind == "asg":
        client("ec2").create_launch_template(LaunchTemplateName="web", LaunchTemplateData={
            "ImageId": "ami-12c6146b", "InstanceType": "t3.small"})
        asg = client("autoscaling")
        asg.create_auto_scaling_group(
            AutoScalingGroupName="web-asg", MinSize=2, DesiredCapacity=2, MaxSize=12,
            LaunchTemplate={"LaunchTemplateName": "web", "Version": "$Latest"},
            VPCZoneIdentifier=",".join(subnets), TargetGroupARNs=[tg], HealthCheckType="ELB")
        group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web-asg"])["AutoScalingGroups"][0]
        return {"capacity": {"autoscaling_group": "web-asg"},
                "asg_instances": sorted(i["InstanceId"] for i in group["Instances"])}
    ecs, ec2 = client("ecs"), client("ec2")
    ecs.create_cluster(clusterName="prod")
    task_def = ecs.register_task_definition(
        family="web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=[{"name": "web", "image": "public.ecr.aws/lab/web:1",
                               "portMappings": [{"containerPort": 8080}]}])["taskDefinition"]["taskDefinitionArn"]
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                               {"Name": "group-name", "Values": ["default"]}])
    service = ecs.create_service(
        cluster="prod", serviceName="web", taskDefinition=task_def, desiredCount=2, launchType="FARGATE",
        loadBalancers=[{"targetGroupArn": tg, "containerName": "web", "containerPort": 8080}],
        networkConfiguration={"awsvpcConfiguration": {
            "subnets": subnets, "securityGroups": [sg["SecurityGroups"][0]["GroupId"]]}},
    )["service"]["serviceArn"]
    if kind == "ecs-scalable":
        client("application-autoscaling").register_scalable_target(
            ServiceNamespace="ecs", ResourceId="service/prod/web", ScalableDimension="ecs:service:DesiredCount",
            MinCapacity=2, MaxCapacity=12)
    return {"capacity": {"ecs_service": service, "cluster": "prod", "service": "web"}}


def topology_yaml(endpoint, r):
    lines = [
        "# Written by tests/lab/seed.py for the local lab. Not for real AWS.",
        "version: 1",
        "aws:",
        f"  region: {REGION}",
        f"  endpoint_url: {endpoint}",
        "sites:",
        "  onprem: { kind: onprem, description: ESXi cluster over site-to-site VPN }",
        "  aws: { kind: aws, description: EKS cluster }",
        "services:",
    ]
    for name, s in r["services"].items():
        lines += [f"  {name}:", f"    listener_arn: {s['listener_arn']}"]
        if s.get("rule_arn"):
            lines.append(f"    rule_arn: {s['rule_arn']}")
        lines += [
            "    target_groups:",
            f"      onprem: {s['target_groups']['onprem']}",
            f"      aws: {s['target_groups']['aws']}",
            "    weights: { onprem: 40, aws: 60 }",
        ]
    if r["ticket_health_checks"]:
        lines += [
            "  ticket:",
            f"    dns: {{ zone_id: {r['zone_id']}, record: api.ticket.example.com, type: A,",
            "           set_ids: { onprem: nhn-lb, aws: aws-alb } }",
            "    weights: { onprem: 100, aws: 0 }",
        ]
    lines += [
        "failover:",
        "  from: onprem",
        "  to: aws",
        f"  alarm: {r['alarm']}",
        "  min_healthy_targets: 1",
        "  max_cdc_latency: 30s",
        "replication:",
        f"  dms_task_arn: {r['dms_task']}",
        f"  source: {{ rds_instance: {r['rds_instance']} }}",
        "  sql: { host: 127.0.0.1, port: 3306, user: dms_check, password_env: HYBRIDCTL_SQL_PASSWORD }",
        "dr:",
        f"  region: {DR_REGION}",
        "  terraform: { dir: infra/dr, binary: terraform, vars: { cluster_name: dr-eks } }",
        f"  dns: {{ zone_id: {r['zone_id']}, record: ticket.example.com., type: A }}",
        "  weights:",
        "    normal: { prod: 100, dr-eks: 0, dr-ecs: 0 }",
        "    building: { prod: 0, dr-eks: 0, dr-ecs: 100 }",
        "    recovered: { prod: 0, dr-eks: 100, dr-ecs: 0 }",
        f"  ready: {{ target_group_arn: {r['dr_ready_target_group']}, min_healthy_targets: 2, timeout: 30m }}",
    ]
    if r.get("coordination"):
        c = r["coordination"]
        lines += ["coordination:", f"  dynamodb_table: {c['table']}", f"  lease: {c['lease']}"]
    return "\n".join(lines) + "\n"
