import { Card } from "@/components/ui/card";
import { RunsList } from "./runs-list";
import { StartRunForm } from "./start-run-form";

export function RunsPage() {
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Runs</h1>
        <p className="mt-1 text-sm text-slate-500">Every workflow run, newest first. Updates arrive live.</p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_320px]">
        <div className="order-2 min-w-0 lg:order-1">
          <RunsList />
        </div>
        <div className="order-1 lg:order-2">
          <Card title="Start run" titleId="start-run-title" as="div">
            <StartRunForm />
          </Card>
        </div>
      </div>
    </div>
  );
}
